/**
 * Property tests of the image budget (issue 11 item 5): for any header a file can claim, each
 * decoder either refuses with INVALID_PARAMS or returns an image within the budget that agrees with
 * the header; bombs of any size are refused. Runs are bounded so the file finishes in seconds.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../protocols/errors.ts';
import { decodeImage, IMAGE_BUDGET } from '../../../../src/biometrics/image/index.ts';
import {
  ihdr,
  interlacedPngBomb,
  pngChunk,
  pngFile,
  tiffFile,
  tinyJpegClaiming,
  zerosZlib,
} from './bombs.ts';
import { bmp8Of, ramp } from './make-images.ts';

const RUNS = { numRuns: 60 };

/** decodes; a refusal must be INVALID_PARAMS; an image must be within the budget and well formed */
function decodedOrRefused(file: Uint8Array): { width: number; height: number } | 'refused' {
  try {
    const img = decodeImage(file);
    expect(img.width * img.height).toBeLessThanOrEqual(IMAGE_BUDGET.maxPixels);
    expect(Math.max(img.width, img.height)).toBeLessThanOrEqual(IMAGE_BUDGET.maxSide);
    expect(img.pixels.length).toBe(img.width * img.height);
    return img;
  } catch (e) {
    if (e instanceof BridgeError && e.code === 'INVALID_PARAMS') return 'refused';
    throw e;
  }
}

const side = fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 70000 }));

describe('PNG headers and data of any claim', () => {
  it('any IHDR, interlaced or not, any amount of data, a second IHDR or not', () => {
    fc.assert(
      fc.property(
        side,
        side,
        fc.constantFrom(1, 2, 4, 8, 16, 3, 0),
        fc.constantFrom(0, 2, 3, 4, 6, 1, 7),
        fc.constantFrom<0 | 1>(0, 1),
        fc.integer({ min: 0, max: 200_000 }),
        fc.option(fc.tuple(side, side), { freq: 4 }),
        (w, h, depth, colour, interlace, inflated, second) => {
          const chunks = [ihdr(w, h, depth, colour, interlace)];
          if (second) chunks.push(ihdr(second[0], second[1], 8, 0, 0));
          chunks.push(pngChunk('IDAT', deflateSync(Buffer.alloc(inflated))));
          const out = decodedOrRefused(pngFile(chunks));
          if (out !== 'refused') {
            expect(second).toBeNull();
            expect([out.width, out.height]).toEqual([w, h]);
          }
        },
      ),
      RUNS,
    );
  });

  it('interlaced bombs of any size are refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (mb) => {
        expect(decodedOrRefused(interlacedPngBomb(mb))).toBe('refused');
      }),
      { numRuns: 10 },
    );
  });
});

describe('JPEG frames of any claim', () => {
  it('any size, coding process and component count: refused or decoded at the size claimed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.constantFrom(0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc9, 0xcf),
        fc.integer({ min: 1, max: 4 }),
        (w, h, sof, components) => {
          const out = decodedOrRefused(tinyJpegClaiming(w, h, sof, components));
          if (out !== 'refused') expect([out.width, out.height]).toEqual([w, h]);
        },
      ),
      RUNS,
    );
  });
});

describe('TIFF directories of any claim', () => {
  it('any size, compression, rows per strip and strip data, Deflate bombs included', () => {
    fc.assert(
      fc.property(
        side,
        side,
        fc.constantFrom(1, 5, 8, 32773, 32946, 2, 7),
        fc.integer({ min: 0, max: 70000 }),
        fc.oneof(
          fc.uint8Array({ maxLength: 4096, size: 'max' }),
          fc.integer({ min: 1, max: 32 }).map((mb) => new Uint8Array(zerosZlib(mb))),
        ),
        (w, h, compression, rows, strip) => {
          const out = decodedOrRefused(tiffFile(w, h, compression, strip, [[278, 4, 1, rows]]));
          if (out !== 'refused') expect([out.width, out.height]).toEqual([w, h]);
        },
      ),
      RUNS,
    );
  });
});

describe('BMP headers of any claim', () => {
  it('any size, bit depth, compression and palette size', () => {
    const base = bmp8Of(ramp(16, 16), 16, 16, 19685);
    fc.assert(
      fc.property(
        fc.integer({ min: -70000, max: 70000 }),
        fc.integer({ min: -70000, max: 70000 }),
        fc.constantFrom(0, 1, 4, 8, 16, 24, 32, 3),
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.oneof(fc.constant(256), fc.nat()),
        (w, h, bpp, compression, colours) => {
          const file = base.slice();
          const v = new DataView(file.buffer);
          v.setInt32(18, w, true);
          v.setInt32(22, h, true);
          v.setUint16(28, bpp, true);
          v.setUint32(30, compression, true);
          v.setUint32(46, colours, true);
          decodedOrRefused(file);
        },
      ),
      RUNS,
    );
  });
});

describe('PGM headers of any claim', () => {
  it('any size and maxval, P5 or P2, with a little data', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('P5', 'P2'),
        fc.integer({ min: 0, max: 999999 }),
        fc.integer({ min: 0, max: 999999 }),
        fc.integer({ min: 0, max: 70000 }),
        fc.uint8Array({ maxLength: 512, size: 'max' }),
        (magic, w, h, maxval, data) => {
          const header = new TextEncoder().encode(`${magic}\n${w} ${h}\n${maxval}\n`);
          const body = magic === 'P2' ? new TextEncoder().encode(Array.from(data).join(' ')) : data;
          const out = decodedOrRefused(Buffer.concat([header, body]));
          if (out !== 'refused') expect([out.width, out.height]).toEqual([w, h]);
        },
      ),
      RUNS,
    );
  });
});
