/** Issue 11 item 5: every decoder and the extractor refuse what is over the image budget, from the headers. */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../protocols/errors.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { decodeImage, IMAGE_BUDGET } from '../../../../src/biometrics/image/index.ts';
import {
  deflateTiffBomb,
  doubleIhdrPng,
  idatOfZeros,
  ihdr,
  interlacedPngBomb,
  pngChunk,
  pngFile,
  tiffFile,
  tinyJpegClaiming,
} from './bombs.ts';
import { bmp8Of, jpegOf, pgmP2, pngOf, ramp } from './make-images.ts';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BridgeError && e.code === 'INVALID_PARAMS') return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('PNG within the budget', () => {
  it('an interlaced PNG whose data inflates past its header (1 GB from 1 MB) is refused', () => {
    expect(refusal(() => decodeImage(interlacedPngBomb(1024)))).toMatch(/inflates beyond the \d+ bytes/);
  });

  it('a second IHDR (16000x16000 after a checked 64x64) is refused', () => {
    expect(refusal(() => decodeImage(doubleIhdrPng()))).toMatch(/more than one IHDR/);
  });

  it('an IHDR that is not the first chunk is refused', () => {
    const file = pngFile([idatOfZeros(10), ihdr(2, 2, 8, 0, 0)]);
    expect(refusal(() => decodeImage(file))).toMatch(/IHDR is not the first chunk/);
  });

  it('a 16-bit RGBA 4096x4096 PNG is over the memory budget, though within the pixel limit', () => {
    const file = pngFile([ihdr(4096, 4096, 16, 6, 0), idatOfZeros(1000)]);
    expect(refusal(() => decodeImage(file))).toMatch(/needs \d+ MB to decode, over the 256 MB budget/);
  });

  it('a side over the limit is refused even when the pixel count is small', () => {
    const file = pngFile([ihdr(9000, 1, 8, 0, 0), idatOfZeros(9001)]);
    expect(refusal(() => decodeImage(file))).toMatch(/side limit/);
  });

  it('an honest interlaced PNG still decodes', () => {
    const grey = ramp(33, 17);
    const file = pngOf(grey, 33, 17, 0);
    // re-encode interlaced by hand: Adam7 with 8-bit grey rows, filter 0
    const passes: Buffer[] = [];
    for (const [x0, y0, dx, dy] of [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ]) {
      for (let y = y0; y < 17; y += dy) {
        const row = [0];
        for (let x = x0; x < 33; x += dx) row.push(grey[y * 33 + x]);
        if (row.length > 1) passes.push(Buffer.from(row));
      }
    }
    const idat = deflateSync(Buffer.concat(passes));
    const interlaced = pngFile([ihdr(33, 17, 8, 0, 1), pngChunk('IDAT', idat)]);
    expect(Buffer.from(decodeImage(interlaced).pixels)).toEqual(Buffer.from(decodeImage(file).pixels));
  });
});

describe('JPEG within the budget', () => {
  it('a 450-byte JPEG claiming 4000x4000 in three components is over the memory budget', () => {
    expect(refusal(() => decodeImage(tinyJpegClaiming(4000, 4000)))).toMatch(/4000x4000 needs \d+ MB/);
  });

  it('a short baseline JPEG claiming 4000x4000 grey is refused: the file cannot hold that image', () => {
    expect(refusal(() => decodeImage(tinyJpegClaiming(4000, 4000, 0xc0, 1)))).toMatch(
      /cannot hold a 4000x4000/,
    );
  });

  it('a second frame header after the scan is refused', () => {
    const one = jpegOf(ramp(16, 16), 16, 16);
    const sof = one.indexOf(0xc0, 2) - 1;
    const len = (one[sof + 2] << 8) | one[sof + 3];
    const twice = Buffer.concat([
      one.subarray(0, one.length - 2),
      one.subarray(sof, sof + 2 + len),
      one.subarray(-2),
    ]);
    expect(refusal(() => decodeImage(twice))).toMatch(/more than one frame header/);
  });

  it('bytes that look like a frame header inside a comment after the scan are not one', () => {
    const one = jpegOf(ramp(16, 16), 16, 16);
    const comment = Uint8Array.of(0xff, 0xfe, 0x00, 0x06, 0xff, 0xc0, 0x00, 0x11);
    const file = Buffer.concat([one.subarray(0, one.length - 2), comment, one.subarray(-2)]);
    expect(decodeImage(file).width).toBe(16);
  });

  it('lossless and arithmetic-coded frames are refused as unsupported', () => {
    for (const sof of [0xc3, 0xc9, 0xcb]) {
      expect(refusal(() => decodeImage(tinyJpegClaiming(8, 8, sof, 1)))).toMatch(/not supported/);
    }
  });
});

describe('TIFF within the budget', () => {
  it('a Deflate strip inflating past the size (64x64, 1 GB) is refused', () => {
    expect(refusal(() => decodeImage(deflateTiffBomb(1024)))).toMatch(/inflates beyond the 4096 bytes/);
  });

  it('a tile of 60000x60000 is refused before utif2 allocates it', () => {
    const file = tiffFile(64, 64, 1, new Uint8Array(64), [
      [322, 4, 1, 60000],
      [323, 4, 1, 60000],
      [324, 4, 1, 0],
      [325, 4, 1, 64],
    ]);
    expect(refusal(() => decodeImage(file))).toMatch(/TIFF tile refused: 60000x60000/);
  });

  it('strip counts that do not match the size, and strips outside the file, are refused', () => {
    const rows = tiffFile(64, 64, 1, new Uint8Array(64 * 64), [[278, 4, 1, 1]]);
    expect(refusal(() => decodeImage(rows))).toMatch(/1 strips where the size needs 64/);
    const big = tiffFile(64, 64, 5, new Uint8Array(16), []);
    // byte count 279 patched to run past the end
    const at = findTag(big, 279);
    new DataView(big.buffer).setUint32(at + 8, 1 << 20, true);
    expect(refusal(() => decodeImage(big))).toMatch(/values lie outside|strip 0 lies outside/);
  });

  it('compressions other than none, LZW, Deflate and PackBits are refused (JPEG-in-TIFF, CCITT, camera raw)', () => {
    for (const c of [2, 4, 6, 7, 34713]) {
      expect(refusal(() => decodeImage(tiffFile(8, 8, c, new Uint8Array(64))))).toMatch(
        /compression \d+ is not supported/,
      );
    }
  });

  it('a Deflate TIFF within its size still decodes', () => {
    const grey = ramp(64, 64);
    const img = decodeImage(tiffFile(64, 64, 8, deflateSync(Buffer.from(grey)), [[278, 4, 1, 64]]));
    expect(Buffer.from(img.pixels)).toEqual(Buffer.from(grey));
  });
});

describe('BMP and PGM within the budget', () => {
  it('a BMP header claiming more rows than the file holds is refused', () => {
    const file = bmp8Of(ramp(8, 8), 8, 8, 19685);
    new DataView(file.buffer).setInt32(22, 4000, true);
    expect(refusal(() => decodeImage(file))).toMatch(/shorter than the size says/);
  });

  it('a plain PGM claiming 4000x4000 in a few bytes is refused', () => {
    const file = new TextEncoder().encode('P2 4000 4000 255\n1 2 3\n');
    expect(refusal(() => decodeImage(file))).toMatch(/pixel data is short/);
    expect(decodeImage(pgmP2(ramp(5, 3), 5, 3)).width).toBe(5);
  });
});

describe("the extractor's working size", () => {
  it('4096x4096 at 250 dpi (8192x8192 at 500) is refused before resampling', () => {
    const image = { width: 4096, height: 4096, dpi: 250, pixels: new Uint8Array(4096 * 4096) };
    expect(refusal(() => extractMinutiae(image))).toMatch(/8192x8192 at 500 dpi, over the extractor's/);
  });

  it('the working budget is what the message says', () => {
    const side = Math.floor(Math.sqrt(IMAGE_BUDGET.maxWorkingPixels)) + 1;
    const image = { width: side, height: side, dpi: 500, pixels: new Uint8Array(side * side) };
    expect(refusal(() => extractMinutiae(image))).toMatch(String(IMAGE_BUDGET.maxWorkingPixels));
  });
});

function findTag(file: Uint8Array, tag: number): number {
  const v = new DataView(file.buffer, file.byteOffset);
  const n = v.getUint16(8, true);
  for (let i = 0; i < n; i++) if (v.getUint16(10 + i * 12, true) === tag) return 10 + i * 12;
  throw new Error(`no tag ${tag}`);
}
