import { describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../../protocols/errors.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import type { OrientationField } from '../../../../src/biometrics/extract/orientation.ts';
import { datasetPresent, FVC_DIR, readFvcImage } from '../../../bench/extract/dataset.ts';
import { addNoise, boxBlur } from './synthetic.ts';

const present = datasetPresent();
if (!present) console.log(`extractor dataset tests skipped: FVC2002 images not found at ${FVC_DIR}`);

const SAMPLE = ['101_1', '102_3', '104_2', '106_5', '108_7', '110_8'];

describe.skipIf(!present)('extraction on FVC2002 DB1_B', () => {
  it('finds a sane number of minutiae, inside the image, with valid angles, types and qualities', () => {
    let total = 0;
    for (const name of SAMPLE) {
      const img = readFvcImage('DB1_B', name);
      const r = extractMinutiae(img);
      // Partial prints (102_3 shows a finger tip only) carry fewer; a full finger 30-50.
      expect(r.minutiae.length, name).toBeGreaterThanOrEqual(12);
      expect(r.minutiae.length, name).toBeLessThanOrEqual(80);
      total += r.minutiae.length;
      expect(r).toMatchObject({ width: img.width, height: img.height, dpiX: 500, dpiY: 500 });
      for (const m of r.minutiae) {
        expect(m.x).toBeGreaterThanOrEqual(0);
        expect(m.x).toBeLessThan(img.width);
        expect(m.y).toBeGreaterThanOrEqual(0);
        expect(m.y).toBeLessThan(img.height);
        expect(m.angle).toBeGreaterThanOrEqual(0);
        expect(m.angle).toBeLessThan(2 * Math.PI);
        expect(['ending', 'bifurcation']).toContain(m.type);
        expect(m.quality).toBeGreaterThanOrEqual(1);
        expect(m.quality).toBeLessThanOrEqual(100);
      }
      // Both kinds occur on every real finger.
      expect(r.minutiae.some((m) => m.type === 'ending')).toBe(true);
      expect(r.minutiae.some((m) => m.type === 'bifurcation')).toBe(true);
      expect(r.imageQuality).toBe(r.quality);
    }
    expect(total / SAMPLE.length).toBeGreaterThanOrEqual(25);
    expect(total / SAMPLE.length).toBeLessThanOrEqual(60);
  });

  it('gives the same result twice (no hidden state between calls)', () => {
    const a = readFvcImage('DB1_B', '103_2');
    const first = extractMinutiae(a);
    extractMinutiae(readFvcImage('DB1_B', '107_1')); // something else in between
    expect(extractMinutiae(a)).toEqual(first);
  });

  it('scores a blurred or noised copy lower than the original', () => {
    for (const name of ['101_1', '105_3']) {
      const img = readFvcImage('DB1_B', name);
      const clean = extractMinutiae(img).imageQuality;
      const blurred = extractMinutiae(boxBlur(img, 2, 3)).imageQuality;
      const noised = extractMinutiae(addNoise(img, 160)).imageQuality;
      expect(clean, name).toBeGreaterThan(blurred);
      expect(clean, name).toBeGreaterThan(noised);
      expect(clean).toBeGreaterThanOrEqual(0);
      expect(clean).toBeLessThanOrEqual(100);
    }
  });

  it('has a mask that covers the finger and leaves out the empty background', () => {
    const img = readFvcImage('DB1_B', '101_1');
    let field: OrientationField | undefined;
    let mask: Uint8Array | undefined;
    const r = extractMinutiae(img, {
      debug: (stage, snap) => {
        if (stage === 'orientation') field = snap as OrientationField;
        if (stage === 'mask') mask = snap as Uint8Array;
      },
    });
    if (!field || !mask) throw new Error('debug hook did not deliver orientation and mask');
    const f = field;
    const m = mask;
    const inMask = (x: number, y: number) =>
      m[Math.floor(y / f.blockSize) * f.cols + Math.floor(x / f.blockSize)] === 1;
    // Ridge ink: dark pixels with dark pixels around (not isolated dust).
    let ink = 0;
    let inkInside = 0;
    let blankInside = 0;
    let blank = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const v = img.pixels[y * img.width + x];
        if (v < 80) {
          ink++;
          if (inMask(x, y)) inkInside++;
        } else if (v > 245) {
          blank++;
          if (inMask(x, y)) blankInside++;
        }
      }
    }
    expect(inkInside / ink).toBeGreaterThan(0.85);
    expect(blankInside / blank).toBeLessThan(0.35);
    expect(r.foregroundRatio).toBeGreaterThan(0.2);
    expect(r.foregroundRatio).toBeLessThan(0.9);
  });

  it('finds nothing on a blank image and rejects malformed input', () => {
    const blank = { width: 200, height: 200, dpi: 500, pixels: new Uint8Array(200 * 200).fill(230) };
    const r = extractMinutiae(blank);
    expect(r.minutiae).toEqual([]);
    expect(r.imageQuality).toBe(0);
    const bad = { width: 200, height: 200, dpi: 500, pixels: new Uint8Array(10) };
    expect(() => extractMinutiae(bad)).toThrow();
    try {
      extractMinutiae(bad);
    } catch (e) {
      expect(isBridgeError(e, 'INVALID_PARAMS')).toBe(true);
    }
  });
});

describe.skipIf(!present)('extraction at another resolution (DB2_B, 569 dpi)', () => {
  it('works at 500 dpi inside and reports minutiae in the input image pixels and dpi', () => {
    const img = readFvcImage('DB2_B', '101_1');
    expect(img.dpi).toBe(569);
    const r = extractMinutiae(img);
    expect(r).toMatchObject({ width: 296, height: 560, dpiX: 569, dpiY: 569 });
    expect(r.minutiae.length).toBeGreaterThanOrEqual(20);
    expect(r.minutiae.length).toBeLessThanOrEqual(90);
    const maxX = Math.max(...r.minutiae.map((m) => m.x));
    const maxY = Math.max(...r.minutiae.map((m) => m.y));
    expect(maxX).toBeLessThan(296);
    expect(maxY).toBeLessThan(560);
    // Spread over the finger, not squeezed into the top-left 500/569 of the image.
    expect(maxY).toBeGreaterThan(560 * 0.6);
  });
});
