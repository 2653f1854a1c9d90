/** Damaged image files: decoding fails with INVALID_PARAMS or yields a consistent image, nothing else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../protocols/errors.ts';
import { decodeImage, encodePng } from '../../../../src/biometrics/image/index.ts';
import { bmp8Of, bmpOf, jpegOf, pgmP2, pgmP5, ramp, tiffOf } from './make-images.ts';

const W = 9;
const H = 6;
const grey = ramp(W, H);
const files: Record<string, Uint8Array> = {
  png: new Uint8Array(encodePng({ width: W, height: H, dpi: 500, pixels: grey })),
  tiff: tiffOf(grey, W, H, { value: 500, unit: 2 }),
  bmp24: bmpOf(grey, W, H, 19685),
  bmp8: bmp8Of(grey, W, H, 19685),
  jpeg: jpegOf(grey, W, H, 500),
  pgm5: pgmP5(grey, W, H),
  pgm2: pgmP2(grey, W, H),
};

describe('damaged image files', () => {
  for (const [name, file] of Object.entries(files)) {
    it(`${name}: overwritten or cut bytes give INVALID_PARAMS or a well-formed image`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          fc.nat(),
          (edits, cut) => {
            const damaged = file.slice(0, file.length - (cut % 4 === 0 ? cut % file.length : 0));
            for (const [at, v] of edits) damaged[at % damaged.length] = v;
            try {
              const img = decodeImage(damaged);
              expect(img.pixels.length).toBe(img.width * img.height);
              expect(img.dpi).toBeGreaterThan(0);
            } catch (e) {
              if (!(e instanceof BridgeError && e.code === 'INVALID_PARAMS')) throw e;
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
