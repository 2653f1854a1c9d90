import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeAnsi378,
  decodeAnsi378Views,
  encodeAnsi378,
} from '../../../../protocols/biometrics/ansi378.ts';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';
import { fvcFiles, fvcPresent } from './dataset.ts';

const sample: MinutiaeSet = {
  width: 300,
  height: 400,
  dpiX: 500,
  dpiY: 500,
  quality: 70,
  fingerPosition: 7,
  minutiae: [
    { x: 1, y: 2, angle: Math.PI / 2, type: 'ending', quality: 50 },
    { x: 299, y: 399, angle: (359 * Math.PI) / 180, type: 'bifurcation', quality: 100 },
  ],
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof BridgeError ? `${e.code}: ${e.message}` : `foreign: ${String(e)}`;
  }
  return undefined;
}

describe('ANSI/INCITS 378-2004', () => {
  it('hand-built record: 26-byte header, 2-degree angles', () => {
    const b = encodeAnsi378(sample);
    expect(b.length).toBe(26 + 4 + 12 + 2);
    expect((b[8] << 8) | b[9]).toBe(b.length);
    expect(b[26 + 4 + 4]).toBe(45); // 90 degrees / 2
    const back = decodeAnsi378(b);
    expect(back.fingerPosition).toBe(7);
    expect(back.minutiae.map((m) => [m.x, m.y, m.type, m.quality])).toEqual([
      [1, 2, 'ending', 50],
      [299, 399, 'bifurcation', 100],
    ]);
    expect(back.minutiae[0].angle).toBeCloseTo(Math.PI / 2, 10);
    // 359 degrees rounds to 360 = 0 in 2-degree steps
    expect(back.minutiae[1].angle).toBe(0);
  });

  it('reads the 6-byte length form (short length 0, then 4 bytes)', () => {
    const short = encodeAnsi378(sample);
    const long = new Uint8Array(short.length + 4);
    long.set(short.subarray(0, 8));
    new DataView(long.buffer).setUint32(10, long.length);
    long.set(short.subarray(10), 14);
    expect(decodeAnsi378Views(long)).toEqual(decodeAnsi378Views(short));
  });

  it('rejects angles of 180 steps or more', () => {
    const b = encodeAnsi378(sample);
    b[26 + 4 + 4] = 180;
    expect(code(() => decodeAnsi378(b))).toMatch(/CARD_DATA_INVALID: .*minutia 1 has an angle above 179/);
  });

  it('rejects truncation, bad identifier and counts that disagree', () => {
    const b = encodeAnsi378(sample);
    expect(code(() => decodeAnsi378(b.slice(0, 30)))).toMatch(/CARD_DATA_INVALID: .*truncated/);
    const bad = b.slice();
    bad[1] = 0;
    expect(code(() => decodeAnsi378(bad))).toMatch(/format identifier/);
    const count = b.slice();
    count[29] = 3;
    expect(code(() => decodeAnsi378(count))).toMatch(/says 3 minutiae/);
  });
});

describe.skipIf(!fvcPresent)('ANSI 378 carries the FVC ISO templates to 2-degree precision', () => {
  it('DB1_B: ISO -> ANSI -> same minutiae, angles within 1 degree', () => {
    for (const file of fvcFiles('DB1_B', '.iso')) {
      const iso = decodeIso19794_2(new Uint8Array(readFileSync(file)));
      const ansi = decodeAnsi378(encodeAnsi378(iso));
      expect(ansi.minutiae.length).toBe(iso.minutiae.length);
      ansi.minutiae.forEach((m, i) => {
        const o = iso.minutiae[i];
        expect([m.x, m.y, m.type]).toEqual([o.x, o.y, o.type]);
        const d = Math.abs(((m.angle - o.angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
        expect(d).toBeLessThanOrEqual((1.0001 * Math.PI) / 180);
      });
    }
  });
});
