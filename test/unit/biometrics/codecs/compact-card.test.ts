import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPACT_CARD_DPI,
  decodeCompactCard,
  encodeCompactCard,
} from '../../../../protocols/biometrics/compact-card.ts';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import { BridgeError } from '../../../../protocols/errors.ts';
import { fvcFiles, fvcPresent } from './dataset.ts';

describe('compact card minutiae (3 bytes each, 0.1 mm, 64 angle steps)', () => {
  it('lays out x, y, then type bits over a 6-bit angle', () => {
    const bytes = encodeCompactCard({
      width: 500,
      height: 500,
      dpiX: 508, // 2 pixels per 0.1 mm
      dpiY: 508,
      quality: 0,
      fingerPosition: 2,
      minutiae: [
        { x: 100, y: 40, angle: Math.PI / 2, type: 'ending', quality: 90 },
        { x: 0, y: 510, angle: Math.PI, type: 'bifurcation', quality: 0 },
        { x: 3, y: 3, angle: 0, type: 'other', quality: 0 },
      ],
    });
    expect(Array.from(bytes)).toEqual([50, 20, 0x40 | 16, 0, 255, 0x80 | 32, 2, 2, 0]);
  });

  it('decodes into a 254-dpi set with the context supplied', () => {
    const set = decodeCompactCard(new Uint8Array([50, 20, 0x40 | 16]), { fingerPosition: 7, quality: 55 });
    expect(set.dpiX).toBe(COMPACT_CARD_DPI);
    expect(set.fingerPosition).toBe(7);
    expect(set.quality).toBe(55);
    expect(set.minutiae[0]).toEqual({ x: 50, y: 20, angle: Math.PI / 2, type: 'ending', quality: 0 });
  });

  it('rejects partial minutiae and the reserved type', () => {
    expect(() => decodeCompactCard(new Uint8Array(4))).toThrow(/not a whole number/);
    try {
      decodeCompactCard(new Uint8Array([1, 1, 0xc0]));
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as BridgeError).code).toBe('CARD_DATA_INVALID');
    }
  });

  it('refuses minutiae beyond 25.5 mm', () => {
    const far = { x: 600, y: 0, angle: 0, type: 'ending' as const, quality: 0 };
    const set = {
      width: 700,
      height: 700,
      dpiX: 500,
      dpiY: 500,
      quality: 0,
      fingerPosition: 0,
      minutiae: [far],
    };
    expect(() => encodeCompactCard(set)).toThrow(BridgeError);
  });
});

describe.skipIf(!fvcPresent)('compact card keeps FVC templates within its precision', () => {
  it('DB2_B: positions within 0.05 mm, angles within 2.8 degrees', () => {
    for (const file of fvcFiles('DB2_B', '.iso')) {
      const iso = decodeIso19794_2(new Uint8Array(readFileSync(file)));
      const card = decodeCompactCard(encodeCompactCard(iso));
      expect(card.minutiae.length).toBe(iso.minutiae.length);
      card.minutiae.forEach((m, i) => {
        const o = iso.minutiae[i];
        expect(Math.abs(m.x / COMPACT_CARD_DPI - o.x / iso.dpiX) * 25.4).toBeLessThanOrEqual(0.0501);
        expect(Math.abs(m.y / COMPACT_CARD_DPI - o.y / iso.dpiY) * 25.4).toBeLessThanOrEqual(0.0501);
        const d = Math.abs(((m.angle - o.angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
        expect(d).toBeLessThanOrEqual((2.82 * Math.PI) / 180);
        expect(m.type).toBe(o.type);
      });
    }
  });
});
