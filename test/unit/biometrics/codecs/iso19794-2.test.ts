import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeIso19794_2,
  decodeIso19794_2Views,
  encodeIso19794_2,
  encodeIso19794_2Views,
} from '../../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';
import { FVC_SETS, fvcFiles, fvcPresent } from './dataset.ts';
import { expectInvalid, SAMPLE_SET } from './records.ts';

const sample = SAMPLE_SET;

function setLength(bytes: Uint8Array, length: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, length);
}

/** A one-view record whose extended block holds `ext`, with the length written one way or the other. */
function withExtendedData(set: MinutiaeSet, ext: number[], lengthCountsItself: boolean): Uint8Array {
  const base = encodeIso19794_2(set);
  const out = new Uint8Array(base.length + ext.length);
  out.set(base);
  out.set(ext, base.length);
  const extLen = ext.length + (lengthCountsItself ? 2 : 0);
  out[base.length - 2] = extLen >> 8;
  out[base.length - 1] = extLen & 0xff;
  setLength(out, out.length);
  return out;
}

/** A ridge-count extended data area: type 0x0001, length 4, data. */
const RIDGE_AREA = [0x00, 0x01, 0x00, 0x04, 0x01, 0x01, 0x02, 0x02];

describe('ISO/IEC 19794-2:2005 write and read back', () => {
  it('round-trips values to the precision of the format', () => {
    const bytes = encodeIso19794_2(sample);
    expect(bytes.length).toBe(24 + 4 + 3 * 6 + 2);
    expect(Array.from(bytes.slice(0, 8))).toEqual([0x46, 0x4d, 0x52, 0, 0x20, 0x32, 0x30, 0]);
    const back = decodeIso19794_2(bytes);
    expect(back.width).toBe(388);
    expect(back.height).toBe(374);
    expect(back.dpiX).toBeCloseTo(500.38, 2); // 197 px/cm
    expect(back.quality).toBe(60);
    expect(back.fingerPosition).toBe(2);
    expect(back.minutiae.map((m) => [m.x, m.y, m.type, m.quality])).toEqual([
      [10, 20, 'ending', 80],
      [387, 373, 'bifurcation', 0],
      [200, 5, 'other', 100],
    ]);
    expect(back.minutiae[1].angle).toBeCloseTo(Math.PI, 10);
    expect(back.minutiae[2].angle).toBeCloseTo((3 * Math.PI) / 2, 10);
  });

  it('writes the angle in 360/256 degree steps, wrapping 2π to 0', () => {
    const step = (2 * Math.PI) / 256;
    const set = { ...sample, minutiae: [{ ...sample.minutiae[0], angle: 2 * Math.PI - step / 4 }] };
    const bytes = encodeIso19794_2(set);
    expect(bytes[28 + 4]).toBe(0);
    const set2 = { ...sample, minutiae: [{ ...sample.minutiae[0], angle: 10 * step + step * 0.4 }] };
    expect(encodeIso19794_2(set2)[28 + 4]).toBe(10);
  });

  it('rounds sub-pixel positions, keeping one that rounds onto the far edge on the last pixel', () => {
    const edge = { ...sample, minutiae: [{ ...sample.minutiae[0], x: 387.7, y: 12.4 }] };
    const back = decodeIso19794_2(encodeIso19794_2(edge));
    expect([back.minutiae[0].x, back.minutiae[0].y]).toEqual([387, 12]);
  });

  it('reads and writes several views', () => {
    const second = { ...sample, fingerPosition: 7, quality: 40, minutiae: sample.minutiae.slice(0, 1) };
    const views = decodeIso19794_2Views(encodeIso19794_2Views([sample, second]));
    expect(views.map((v) => [v.fingerPosition, v.minutiae.length])).toEqual([
      [2, 3],
      [7, 1],
    ]);
  });

  it('refuses to write what the format cannot hold', () => {
    const outside = { ...sample, minutiae: [{ ...sample.minutiae[0], x: 388 }] };
    expect(() => encodeIso19794_2(outside)).toThrow(/minutia 1 lies outside the 388x374 image/);
    const negative = { ...sample, minutiae: [{ ...sample.minutiae[0], y: -1 }] };
    expect(() => encodeIso19794_2(negative)).toThrow(BridgeError);
    expect(() => encodeIso19794_2({ ...sample, quality: 101 })).toThrow(/finger quality/);
    expect(() => encodeIso19794_2Views([])).toThrow(BridgeError);
  });
});

describe('ISO/IEC 19794-2:2005 tolerance', () => {
  it('ignores bytes after the record length (card file padding)', () => {
    const bytes = encodeIso19794_2(sample);
    const padded = new Uint8Array(bytes.length + 40).fill(0xff);
    padded.set(bytes);
    expect(decodeIso19794_2(padded)).toEqual(decodeIso19794_2(bytes));
  });

  it('accepts zero padding inside the record length', () => {
    const bytes = encodeIso19794_2(sample);
    const padded = new Uint8Array(bytes.length + 6);
    padded.set(bytes);
    setLength(padded, padded.length);
    expect(decodeIso19794_2(padded).minutiae).toHaveLength(3);
  });

  it.each([false, true])('skips extended data whose length counts itself: %s', (countsItself) => {
    const bytes = withExtendedData(sample, RIDGE_AREA, countsItself);
    expect(decodeIso19794_2(bytes).minutiae).toHaveLength(3);
  });

  it.each([false, true])(
    'finds the second view after extended data (length counts itself: %s)',
    (countsItself) => {
      const first = withExtendedData(sample, RIDGE_AREA, countsItself);
      const second = encodeIso19794_2({ ...sample, fingerPosition: 7 }).slice(24);
      const both = new Uint8Array(first.length + second.length);
      both.set(first);
      both.set(second, first.length);
      both[22] = 2;
      setLength(both, both.length);
      expect(decodeIso19794_2Views(both).map((v) => v.fingerPosition)).toEqual([2, 7]);
    },
  );

  it('accepts a subarray of a larger buffer', () => {
    const bytes = encodeIso19794_2(sample);
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 10);
    expect(decodeIso19794_2(big.subarray(10)).minutiae).toHaveLength(3);
  });
});

describe('ISO/IEC 19794-2:2005 rejects malformed records', () => {
  const good = () => encodeIso19794_2(sample);

  it('bad format identifier', () => {
    const b = good();
    b[0] = 0x41;
    expectInvalid(b, /format identifier/);
  });
  it('a version that is neither :2005 nor :2011 (iso19794-2-2011.test.ts reads :2011)', () => {
    const b = good();
    b.set([0x30, 0x34, 0x30, 0], 4);
    expectInvalid(b, /version is neither ' 20\\0' \(:2005\) nor '030\\0' \(:2011\)/);
  });
  it('shorter than the header', () => expectInvalid(good().slice(0, 20), /shorter than the 24-byte header/));
  it('truncated below the record length', () => expectInvalid(good().slice(0, 40), /truncated/));
  it('record length shorter than the header', () => {
    const b = good();
    setLength(b, 10);
    expectInvalid(b, /record length 10/);
  });
  it('minutiae count larger than the record', () => {
    const b = good();
    b[27] = 9;
    expectInvalid(b, /says 9 minutiae/);
  });
  it('minutiae count smaller than the record', () => {
    const b = good();
    b[27] = 1;
    expectInvalid(b, /record length|extended data/);
  });
  it('coordinate outside the image', () => {
    const b = good();
    b[28] = 0x41; // type bits 01 (ending), x high bits 0x01
    b[29] = 0xff; // x = 0x1ff = 511, beyond the 388-pixel width
    expectInvalid(b, /outside the 388x374 image/);
  });
  it('reserved minutia type 11', () => {
    const b = good();
    b[28] |= 0xc0;
    expectInvalid(b, /reserved type/);
  });
  it('minutia quality above 100', () => {
    const b = good();
    b[28 + 5] = 101;
    expectInvalid(b, /minutia 1 has a quality above 100/);
  });
  it('finger position outside the table', () => {
    const b = good();
    b[24] = 11;
    expectInvalid(b, /finger position 11/);
  });
  it('no finger view', () => {
    const b = good();
    b[22] = 0;
    expectInvalid(b, /no finger view/);
  });
  it('more views announced than present', () => {
    const b = good();
    b[22] = 2;
    expectInvalid(b, /view 2 header is truncated|record length/);
  });
  it('zero resolution', () => {
    const b = good();
    b[18] = 0;
    b[19] = 0;
    expectInvalid(b, /resolution/);
  });
  it('extended data running past the record end', () => {
    const b = good();
    b[b.length - 1] = 50;
    expectInvalid(b, /extended data|record length/);
  });
});

describe.skipIf(!fvcPresent)('ISO/IEC 19794-2:2005 templates of FVC2002 DB1_B..DB4_B', () => {
  for (const set of FVC_SETS) {
    it(`${set}: every record decodes with sane counts and ranges, and re-encodes byte for byte`, () => {
      const files = fvcFiles(set, '.iso');
      expect(files).toHaveLength(80);
      for (const file of files) {
        const bytes = new Uint8Array(readFileSync(file));
        const rec = decodeIso19794_2(bytes);
        expect(rec.width).toBe(300);
        expect(rec.height).toBe(400);
        expect(Math.round(rec.dpiX)).toBe(500);
        expect(rec.minutiae.length).toBe(bytes[27]);
        expect(rec.minutiae.length).toBeGreaterThan(5);
        for (const m of rec.minutiae) {
          expect(m.x).toBeGreaterThanOrEqual(0);
          expect(m.x).toBeLessThan(300);
          expect(m.y).toBeLessThan(400);
          expect(m.angle).toBeGreaterThanOrEqual(0);
          expect(m.angle).toBeLessThan(2 * Math.PI);
          expect(['ending', 'bifurcation']).toContain(m.type);
        }
        expect(encodeIso19794_2(rec)).toEqual(bytes);
      }
    });
  }
});
