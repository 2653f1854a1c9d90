/**
 * TIFF LZW (src/biometrics/image/tiff-lzw.ts), which replaces utif2's decoder: the fixtures were made
 * by libtiff (`tiffcp -c lzw -r 150` and `tiffcp -c lzw:2 -r 16`, Debian's libtiff-tools 4.5) from
 * the picture in lzw-test-image.ts, so they check our reading of the format against another
 * implementation, not against our own encoder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError, isBridgeError } from '../../../../protocols/errors.ts';
import { decodeImage } from '../../../../src/biometrics/image/index.ts';
import { decodeTiffLzw } from '../../../../src/biometrics/image/tiff-lzw.ts';
import { tiffFile } from './bombs.ts';
import { lzwTestPixels } from './lzw-test-image.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name));

describe('TIFF LZW', () => {
  it('reads libtiff LZW files exactly: one strip, and 16-row strips with the horizontal predictor', () => {
    const want = lzwTestPixels();
    for (const name of ['lzw-one-strip.tif', 'lzw-predictor-strips.tif']) {
      const img = decodeImage(fixture(name));
      expect([img.width, img.height]).toEqual([want.width, want.height]);
      expect(Buffer.from(img.pixels).equals(Buffer.from(want.pixels))).toBe(true);
    }
  });

  it('reads a TIFF handed over as a view into a larger buffer (a Node Buffer at an offset)', () => {
    const file = fixture('lzw-predictor-strips.tif');
    const view = Buffer.concat([Buffer.alloc(1000, 0xaa), file, Buffer.alloc(100)]).subarray(
      1000,
      1000 + file.length,
    );
    expect(view.byteOffset).toBe(1000);
    expect(Buffer.from(decodeImage(view).pixels).equals(Buffer.from(lzwTestPixels().pixels))).toBe(true);
  });

  it('refuses codes that name entries not made yet, which sent utif2 into an endless loop', () => {
    // codes 259 and 260 with an empty table: utif2 followed an entry pointing to itself, forever
    const strip = new Uint8Array([0x81, 0xc1, 0x00]);
    expect(() => decodeTiffLzw(strip, 0, strip.length, new Uint8Array(64), 0)).toThrow(BridgeError);
    let refusal: unknown;
    try {
      decodeImage(tiffFile(8, 8, 5, strip));
    } catch (e) {
      refusal = e;
    }
    expect(isBridgeError(refusal, 'INVALID_PARAMS')).toBe(true);
  });

  it('any bytes: ends, refusing or decoding, and never writes past the target', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.integer({ min: 0, max: 2000 }), (bytes, room) => {
        const out = new Uint8Array(room + 8).fill(7);
        try {
          const n = decodeTiffLzw(bytes, 0, bytes.length, out.subarray(0, room), 0);
          expect(n).toBeLessThanOrEqual(room);
        } catch (e) {
          expect(isBridgeError(e, 'INVALID_PARAMS')).toBe(true);
        }
        expect([...out.subarray(room)]).toEqual(new Array(8).fill(7));
      }),
      { numRuns: 300 },
    );
  });

  it('a stream cut short gives the pixels it holds, the rest left as they were', () => {
    const file = fixture('lzw-one-strip.tif');
    const want = lzwTestPixels();
    // the single strip starts at 8 in files tiffcp writes (the directory follows the data)
    const cut = file.subarray(8, 8 + 2000);
    const out = new Uint8Array(want.pixels.length);
    const n = decodeTiffLzw(cut, 0, cut.length, out, 0);
    expect(n).toBeGreaterThan(1000);
    expect(n).toBeLessThan(want.pixels.length);
    expect(Buffer.from(out.subarray(0, n)).equals(Buffer.from(want.pixels.subarray(0, n)))).toBe(true);
  });
});
