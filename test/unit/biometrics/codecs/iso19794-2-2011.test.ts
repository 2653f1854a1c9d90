import { describe, expect, it } from 'vitest';
import { decodeIso19794_2, decodeIso19794_2Views } from '../../../../protocols/biometrics/iso19794-2.ts';
import {
  decodeIso19794_2v2011Views,
  encodeIso19794_2v2011Views,
} from '../../../../protocols/biometrics/iso19794-2-2011.ts';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';
import { expectInvalid, SAMPLE_SET } from './records.ts';

const u16 = (v: number) => [v >> 8, v & 0xff];
const u32 = (v: number) => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/**
 * One representation laid out by hand from the standard's field list (not by our encoder): two
 * quality blocks, a certification block, 5-byte minutiae (no quality) and an 8-byte ridge-count
 * extended data area, so every optional part of the framing is crossed.
 */
function handBuilt(): Uint8Array {
  const finger = [
    7, // finger position: left index
    0, // representation number
    ...u16(197), // x resolution, px/cm (500 dpi)
    ...u16(197), // y resolution
    0, // impression type: live-scan plain
    ...u16(300), // width
    ...u16(400), // height
    (5 << 4) | 1, // 5-byte minutiae, ridge ending type 1 (ridge skeleton end point)
    3, // minutiae
    // ending at (10, 20), angle 64 (90°)
    (1 << 6) | 0,
    10,
    0,
    20,
    64,
    // bifurcation at (299, 399), angle 0
    (2 << 6) | (299 >> 8),
    299 & 0xff,
    399 >> 8,
    399 & 0xff,
    0,
    // other at (256, 300), angle 192 (270°)
    (0 << 6) | 1,
    0,
    1,
    44,
    192,
    ...u16(8), // extended data length
    0,
    1,
    0,
    8,
    1,
    2,
    3,
    4, // ridge-count area (type 1, length 8): skipped
  ];
  const sample = [
    ...[0x07, 0xea, 12, 5, 9, 30, 0, 0, 0], // capture date and time: 2026-12-05 09:30:00.000
    2, // capture device technology
    ...u16(0x0031), // vendor
    ...u16(0x0200), // device type
    2, // quality blocks
    ...[57, 0, 0x0f, 0, 1], // score 57, algorithm vendor 15, algorithm 1
    ...[255, 0, 0x10, 0, 2], // a second algorithm that failed
    1, // certification blocks (the record's flag is 1)
    ...[0, 1, 2],
    ...finger,
  ];
  const representation = [...u32(4 + sample.length), ...sample];
  const record = [
    ...[0x46, 0x4d, 0x52, 0, 0x30, 0x33, 0x30, 0],
    ...u32(15 + representation.length),
    ...u16(1), // representations
    1, // certification flag
    ...representation,
  ];
  return new Uint8Array(record);
}

describe('ISO/IEC 19794-2:2011 read', () => {
  it('reads a record laid out by hand, with every optional block', () => {
    const set = decodeIso19794_2(handBuilt());
    expect(set).toMatchObject({ width: 300, height: 400, fingerPosition: 7, quality: 57 });
    expect(set.dpiX).toBeCloseTo(500.38, 2);
    expect(set.minutiae).toEqual([
      { x: 10, y: 20, angle: Math.PI / 2, type: 'ending', quality: 0 },
      { x: 299, y: 399, angle: 0, type: 'bifurcation', quality: 0 },
      { x: 256, y: 300, angle: (3 * Math.PI) / 2, type: 'other', quality: 0 },
    ]);
  });

  it('ignores bytes after the record length, as a card file or a padded export has them', () => {
    const b = handBuilt();
    const padded = new Uint8Array(b.length + 7);
    padded.set(b);
    expect(decodeIso19794_2Views(padded)).toEqual(decodeIso19794_2Views(b));
  });

  it('reads each representation with its own size and resolution', () => {
    const a: MinutiaeSet = {
      width: 300,
      height: 400,
      dpiX: 500,
      dpiY: 500,
      quality: 0,
      fingerPosition: 2,
      minutiae: [{ x: 1, y: 2, angle: 1, type: 'ending', quality: 0 }],
    };
    const b: MinutiaeSet = {
      ...a,
      width: 640,
      height: 480,
      dpiX: 569,
      dpiY: 569,
      quality: 88,
      fingerPosition: 7,
    };
    const views = decodeIso19794_2v2011Views(encodeIso19794_2v2011Views([a, b]));
    expect(views.map((v) => [v.width, v.height, Math.round(v.dpiX), v.quality, v.fingerPosition])).toEqual([
      [300, 400, 500, 0, 2],
      [640, 480, 569, 88, 7],
    ]);
  });
});

describe('ISO/IEC 19794-2:2011 write and read back', () => {
  // the shared sample with its third minutia off the pixel and 1/256-turn grids
  const sample: MinutiaeSet = {
    ...SAMPLE_SET,
    minutiae: SAMPLE_SET.minutiae.map((m, i) => (i === 2 ? { ...m, x: 200.4, angle: 1.0 } : m)),
  };

  it('keeps values to the precision of the format; quality 0 goes out as 254 and comes back 0', () => {
    const bytes = encodeIso19794_2v2011Views([sample]);
    const back = decodeIso19794_2(bytes);
    expect(back.minutiae.map((m) => [m.x, m.y, m.type, m.quality])).toEqual([
      [10, 20, 'ending', 80],
      [387, 373, 'bifurcation', 0],
      [200, 5, 'other', 100],
    ]);
    for (const [i, m] of back.minutiae.entries()) {
      expect(Math.abs(m.angle - sample.minutiae[i].angle)).toBeLessThanOrEqual(Math.PI / 256 + 1e-9);
    }
    // the second minutia's quality byte: after the 15-byte header, 19 + 5 (one quality block) + 13
    expect(bytes[15 + 19 + 5 + 13 + 6 + 5]).toBe(254);
  });

  it('numbers the views of one finger 0, 1, ... and refuses what the format cannot hold', () => {
    const bytes = encodeIso19794_2v2011Views([sample, sample, { ...sample, fingerPosition: 7 }]);
    expect(decodeIso19794_2v2011Views(bytes)).toHaveLength(3);
    expect(() => encodeIso19794_2v2011Views([])).toThrow(BridgeError);
    expect(() => encodeIso19794_2v2011Views([{ ...sample, fingerPosition: 11 }])).toThrow(/finger position/);
    expect(() => encodeIso19794_2v2011Views([{ ...sample, width: 70000 }])).toThrow(/does not fit/);
  });
});

describe('ISO/IEC 19794-2:2011 rejects malformed records', () => {
  /** Offsets in handBuilt(): its finger header starts after 15 + 19 + 10 + 1 + 3 bytes. */
  const FINGER = 15 + 19 + 10 + 1 + 3;
  const edit = (at: number, ...v: number[]) => {
    const b = handBuilt();
    b.set(v, at);
    return b;
  };

  it('no representation', () => expectInvalid(edit(12, 0, 0), /no finger representation/));
  it('certification flag other than 0/1', () => expectInvalid(edit(14, 2), /certification flag 2/));
  it('truncated below the record length', () => expectInvalid(handBuilt().slice(0, 60), /truncated/));
  it('a representation longer than the record', () =>
    expectInvalid(edit(15, 0, 0, 1, 0), /length does not fit/));
  it('minutia field length not 5 or 6', () => expectInvalid(edit(FINGER + 11, 0x41), /field length 4/));
  it('finger position out of range', () => expectInvalid(edit(FINGER, 13), /finger position 13/));
  it('zero resolution', () => expectInvalid(edit(FINGER + 2, 0, 0), /resolution 0x197/));
  it('a minutia outside the image', () =>
    expectInvalid(edit(FINGER + 13 + 2, 1, 0x90), /outside the 300x400 image/));
  it('a quality score out of range', () => expectInvalid(edit(15 + 19, 150), /quality score 150/));
  it('extended data that does not end the representation', () =>
    expectInvalid(edit(FINGER + 13 + 15, 0, 9), /extended data \(9 bytes\)/));
  it('more minutiae than the representation holds', () => expectInvalid(edit(FINGER + 12, 40), /runs past/));
  it('without the certification block count the flag promises', () => {
    const b = handBuilt();
    b[14] = 0; // the representation now reads its certification count as the finger position
    expect(() => decodeIso19794_2Views(b)).toThrow(BridgeError);
  });
});
