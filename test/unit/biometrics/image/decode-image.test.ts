import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../protocols/errors.ts';
import {
  decodeImage,
  decodeImageWithFormat,
  encodePng,
  resampleTo500dpi,
} from '../../../../src/biometrics/image/index.ts';
import { FVC_SETS, fvcFiles, fvcPresent } from '../codecs/dataset.ts';
import { bmp8Of, bmpOf, jpegOf, pgmP2, pgmP5, pngOf, ramp, tiff16Of, tiffOf } from './make-images.ts';

const W = 13;
const H = 7;
const grey = ramp(W, H);

function expectInvalidParams(fn: () => unknown, pattern?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    expect((e as BridgeError).code).toBe('INVALID_PARAMS');
    if (pattern) expect((e as BridgeError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected INVALID_PARAMS');
}

describe('PNG', () => {
  it.each([0, 2, 4, 6] as const)('colour type %i, 8-bit -> the same grey values, default dpi', (ct) => {
    const { image, format } = decodeImageWithFormat(pngOf(grey, W, H, ct), { defaultDpi: 569 });
    expect(format).toBe('png');
    expect([image.width, image.height, image.dpi]).toEqual([W, H, 569]);
    expect(Array.from(image.pixels)).toEqual(Array.from(grey));
  });

  it('16-bit grey -> 8-bit', () => {
    expect(Array.from(decodeImage(pngOf(grey, W, H, 0, 16)).pixels)).toEqual(Array.from(grey));
  });

  it('transparent pixels become white background; half alpha blends', () => {
    expect(decodeImage(pngOf(grey, W, H, 4, 8, 0)).pixels.every((v) => v === 255)).toBe(true);
    const half = decodeImage(pngOf(new Uint8Array(W * H), W, H, 6, 8, 128)).pixels;
    expect(half[0]).toBe(127);
  });

  it('encodePng writes 8-bit grey with pHYs, which decodes back to the same image and dpi', () => {
    const png = encodePng({ width: W, height: H, dpi: 500, pixels: grey });
    expect(png[25]).toBe(0); // IHDR colour type: grey
    expect(png[24]).toBe(8); // bit depth
    expect(png.subarray(37, 41).toString('latin1')).toBe('pHYs');
    const back = decodeImage(png, { defaultDpi: 100 });
    expect(back.dpi).toBe(500);
    expect(Array.from(back.pixels)).toEqual(Array.from(grey));
  });

  it('a truncated file is INVALID_PARAMS', () => {
    const png = encodePng({ width: W, height: H, dpi: 500, pixels: grey });
    expectInvalidParams(() => decodeImage(png.subarray(0, png.length - 20)), /PNG/);
  });
});

describe('TIFF', () => {
  it('8-bit grey without resolution uses the default', () => {
    const img = decodeImage(tiffOf(grey, W, H), { defaultDpi: 569 });
    expect([img.width, img.height, img.dpi]).toEqual([W, H, 569]);
    expect(Array.from(img.pixels)).toEqual(Array.from(grey));
  });
  it('XResolution in inches and in centimetres', () => {
    expect(decodeImage(tiffOf(grey, W, H, { value: 1000, unit: 2 })).dpi).toBe(1000);
    expect(decodeImage(tiffOf(grey, W, H, { value: 197, unit: 3 })).dpi).toBeCloseTo(500.38, 2);
  });
  it.each([true, false])('16-bit grey -> 8-bit (little-endian file: %s)', (le) => {
    const img = decodeImage(tiff16Of([0x1000, 0x8000, 0xff00, 0x0100], 2, 2, le));
    expect(Array.from(img.pixels)).toEqual([16, 128, 255, 1]);
  });
  it('a TIFF header with nothing behind it is INVALID_PARAMS', () => {
    expectInvalidParams(() => decodeImage(new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0])));
  });
});

describe('BMP, JPEG, PGM', () => {
  it('BMP 24-bit with 19685 pixels per metre is 500 dpi', () => {
    const img = decodeImage(bmpOf(grey, W, H, 19685));
    expect([img.width, img.height, img.dpi]).toEqual([W, H, 500]);
    expect(Array.from(img.pixels)).toEqual(Array.from(grey));
    expect(decodeImage(bmpOf(grey, W, H), { defaultDpi: 333 }).dpi).toBe(333);
  });
  it('BMP 8-bit palette, bottom-up rows as scanners write them, keeps rows in order', () => {
    const img = decodeImage(bmp8Of(grey, W, H, 22402)); // 22402 px/m = 569.01 dpi
    expect([img.width, img.height]).toEqual([W, H]);
    expect(img.dpi).toBeCloseTo(569, 1);
    expect(Array.from(img.pixels)).toEqual(Array.from(grey));
  });
  it('JPEG decodes close to the source and reads the JFIF density', () => {
    const img = decodeImage(jpegOf(grey, W, H, 1000));
    expect([img.width, img.height, img.dpi]).toEqual([W, H, 1000]);
    const err = img.pixels.reduce((s, v, i) => s + Math.abs(v - grey[i]), 0) / grey.length;
    expect(err).toBeLessThan(8);
    expect(decodeImage(jpegOf(grey, W, H)).dpi).toBe(500);
  });
  it('PGM P5 8-bit, P5 16-bit and P2 with comments', () => {
    for (const file of [pgmP5(grey, W, H), pgmP5(grey, W, H, 65535), pgmP2(grey, W, H)]) {
      const img = decodeImage(file, { defaultDpi: 569 });
      expect([img.width, img.height, img.dpi]).toEqual([W, H, 569]);
      expect(Array.from(img.pixels)).toEqual(Array.from(grey));
    }
  });
  it('PGM short of samples or above maxval is INVALID_PARAMS', () => {
    const p5 = pgmP5(grey, W, H);
    expectInvalidParams(() => decodeImage(p5.subarray(0, p5.length - 1)), /short/);
    expectInvalidParams(() => decodeImage(new TextEncoder().encode('P2 1 1 10 11')), /above maxval/);
  });
});

describe('the resolution of a file that does not say', () => {
  it('may be a function of the image size, asked only when the file carries none', () => {
    const asked: [number, number][] = [];
    const bySize = (w: number, h: number) => {
      asked.push([w, h]);
      return w === 24 ? 569 : 500;
    };
    expect(decodeImage(pgmP5(ramp(24, 16), 24, 16), { defaultDpi: bySize }).dpi).toBe(569);
    expect(decodeImage(tiffOf(ramp(20, 16), 20, 16), { defaultDpi: bySize }).dpi).toBe(500);
    // a TIFF that says 1000 dpi keeps it, and the function is not asked
    expect(
      decodeImage(tiffOf(ramp(24, 16), 24, 16, { value: 1000, unit: 2 }), { defaultDpi: bySize }).dpi,
    ).toBe(1000);
    expect(asked).toEqual([
      [24, 16],
      [20, 16],
    ]);
    expect(() => decodeImage(pgmP5(ramp(8, 8), 8, 8), { defaultDpi: () => 0 })).toThrow(BridgeError);
  });
});

describe('guards', () => {
  it('unknown bytes are INVALID_PARAMS', () => {
    expectInvalidParams(() => decodeImage(new Uint8Array([1, 2, 3, 4, 5])), /not recognised/);
    expectInvalidParams(() => decodeImage(new Uint8Array(0)));
  });
  it('a header announcing a gigantic image is refused before allocation', () => {
    const png = pngOf(grey, W, H, 0);
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expectInvalidParams(() => decodeImage(png), /exceeds/);
    expectInvalidParams(() => decodeImage(new TextEncoder().encode('P5 60000 60000 255\n')), /exceeds/);
  });
  it('decoded pixels own their ArrayBuffer (transferable to a worker)', () => {
    for (const file of [pngOf(grey, W, H, 0), tiffOf(grey, W, H), bmpOf(grey, W, H), pgmP5(grey, W, H)]) {
      const px = decodeImage(file).pixels;
      expect(px.byteOffset).toBe(0);
      expect(px.buffer.byteLength).toBe(W * H);
    }
  });
});

describe.skipIf(!fvcPresent)('FVC2002 TIFFs', () => {
  const sizes: Record<string, [number, number]> = {
    DB1_B: [388, 374],
    DB2_B: [296, 560],
    DB3_B: [300, 300],
    DB4_B: [288, 384],
  };
  for (const set of FVC_SETS) {
    it(`${set}: first impression decodes at the documented size`, () => {
      const img = decodeImage(readFileSync(fvcFiles(set, '.tif')[0]));
      expect([img.width, img.height]).toEqual(sizes[set]);
      expect(img.dpi).toBe(500);
      const mean = img.pixels.reduce((s, v) => s + v, 0) / img.pixels.length;
      expect(mean).toBeGreaterThan(60);
      expect(mean).toBeLessThan(250);
    });
  }
  it('DB2_B at 569 dpi resamples to 260 x 492 at 500 dpi', () => {
    const img = decodeImage(readFileSync(fvcFiles('DB2_B', '.tif')[0]), { defaultDpi: 569 });
    const out = resampleTo500dpi(img);
    expect([out.width, out.height, out.dpi]).toEqual([260, 492, 500]);
    const mean = (p: Uint8Array) => p.reduce((s, v) => s + v, 0) / p.length;
    expect(Math.abs(mean(out.pixels) - mean(img.pixels))).toBeLessThan(2);
  });
});
