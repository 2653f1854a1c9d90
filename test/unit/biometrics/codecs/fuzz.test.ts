/** Property tests: decoders throw nothing but BridgeError, and encode/decode keeps values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAnsi378Views, encodeAnsi378 } from '../../../../protocols/biometrics/ansi378.ts';
import { decodeCompactCard } from '../../../../protocols/biometrics/compact-card.ts';
import { decodeIso19794_2Views, encodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import {
  decodeIso19794_2v2011Views,
  encodeIso19794_2v2011Views,
} from '../../../../protocols/biometrics/iso19794-2-2011.ts';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';

const minutiaeSet: fc.Arbitrary<MinutiaeSet> = fc
  .record({ width: fc.integer({ min: 1, max: 800 }), height: fc.integer({ min: 1, max: 800 }) })
  .chain(({ width, height }) =>
    fc.record({
      width: fc.constant(width),
      height: fc.constant(height),
      dpiX: fc.constantFrom(500, 254, 569, 1000),
      dpiY: fc.constantFrom(500, 254, 569, 1000),
      quality: fc.integer({ min: 0, max: 100 }),
      fingerPosition: fc.integer({ min: 0, max: 10 }),
      minutiae: fc.array(
        fc.record({
          x: fc.integer({ min: 0, max: width - 1 }),
          y: fc.integer({ min: 0, max: height - 1 }),
          angle: fc.double({ min: 0, max: 2 * Math.PI, maxExcluded: true, noNaN: true }),
          type: fc.constantFrom('ending' as const, 'bifurcation' as const, 'other' as const),
          quality: fc.integer({ min: 0, max: 100 }),
        }),
        { maxLength: 60 },
      ),
    }),
  );

/** A valid record with a few bytes overwritten: reaches deeper than random bytes do. */
function mutated(encode: (s: MinutiaeSet) => Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      minutiaeSet,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(40),
    )
    .map(([set, edits, cut]) => {
      const b = encode(set);
      for (const [at, v] of edits) b[at % b.length] = v;
      return cut % 3 === 0 ? b.subarray(0, Math.max(0, b.length - cut)) : b;
    });
}

function onlyBridgeErrors(decode: (b: Uint8Array) => unknown): (b: Uint8Array) => void {
  return (b) => {
    try {
      decode(b);
    } catch (e) {
      if (!(e instanceof BridgeError) || e.code !== 'CARD_DATA_INVALID') throw e;
    }
  };
}

const bytes = fc.uint8Array({ maxLength: 400 });
const withHeader = fc
  .uint8Array({ maxLength: 200 })
  .map((tail) => new Uint8Array([0x46, 0x4d, 0x52, 0, 0x20, 0x32, 0x30, 0, ...tail]));
const withHeader2011 = fc
  .uint8Array({ maxLength: 200 })
  .map((tail) => new Uint8Array([0x46, 0x4d, 0x52, 0, 0x30, 0x33, 0x30, 0, ...tail]));
const encode2011 = (s: MinutiaeSet) => encodeIso19794_2v2011Views([s]);

describe('decoders throw only BridgeError(CARD_DATA_INVALID)', () => {
  it('ISO/IEC 19794-2', () => {
    fc.assert(
      fc.property(
        fc.oneof(bytes, withHeader, mutated(encodeIso19794_2)),
        onlyBridgeErrors(decodeIso19794_2Views),
      ),
      {
        numRuns: 2000,
      },
    );
  });
  it('ISO/IEC 19794-2:2011, alone and through the :2005 entry point', () => {
    const input = fc.oneof(bytes, withHeader2011, mutated(encode2011));
    fc.assert(fc.property(input, onlyBridgeErrors(decodeIso19794_2v2011Views)), { numRuns: 2000 });
    fc.assert(fc.property(input, onlyBridgeErrors(decodeIso19794_2Views)), { numRuns: 500 });
  });
  it('ANSI 378', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, withHeader, mutated(encodeAnsi378)), onlyBridgeErrors(decodeAnsi378Views)),
      {
        numRuns: 2000,
      },
    );
  });
  it('compact card', () => {
    fc.assert(fc.property(bytes, onlyBridgeErrors(decodeCompactCard)), { numRuns: 1000 });
  });
});

describe('round trips', () => {
  it.each([
    [':2005', encodeIso19794_2],
    [':2011', encode2011],
  ])(
    'ISO %s: integer positions, types and qualities exact; angle within half a 360/256 step',
    (_, encode) => {
      fc.assert(
        fc.property(minutiaeSet, (set) => {
          const back = decodeIso19794_2Views(encode(set))[0];
          expect(back.minutiae.map(({ x, y, type, quality }) => ({ x, y, type, quality }))).toEqual(
            set.minutiae.map(({ x, y, type, quality }) => ({ x, y, type, quality })),
          );
          back.minutiae.forEach((m, i) => {
            const d = Math.abs(((m.angle - set.minutiae[i].angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
            expect(d).toBeLessThanOrEqual(Math.PI / 256 + 1e-9);
            expect(m.angle).toBeLessThan(2 * Math.PI);
          });
          expect(Math.abs(back.dpiX - set.dpiX)).toBeLessThan(1.5);
        }),
        { numRuns: 300 },
      );
    },
  );
});
