/**
 * The extractor's speed work must not change a single minutia: each rewritten stage is compared
 * with its plain reference (reference-stages.ts) on the stage's real inputs, taken from whole
 * extractions of synthetic prints (always) and of FVC2002 images (when ../shared is present), and
 * whole extractions with reused buffers are compared with extractions on fresh ones.
 */
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import { syntheticFinger } from '../../../../simulator/fingerprints/index.ts';
import { binarise } from '../../../../src/biometrics/extract/binarise.ts';
import { smoothBlocks } from '../../../../src/biometrics/extract/block-grid.ts';
import { type Enhanced, enhanceRidges } from '../../../../src/biometrics/extract/enhance.ts';
import type { FrequencyField } from '../../../../src/biometrics/extract/frequency.ts';
import { type ExtractionStage, extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import type { OrientationField } from '../../../../src/biometrics/extract/orientation.ts';
import { estimateOrientationField } from '../../../../src/biometrics/extract/orientation.ts';
import { paddedLayout } from '../../../../src/biometrics/extract/padded.ts';
import { PARAMS } from '../../../../src/biometrics/extract/parameters.ts';
import { ReusedBuffers } from '../../../../src/biometrics/extract/scratch.ts';
import { thin } from '../../../../src/biometrics/extract/skeleton/thin.ts';
import { datasetPresent, FVC_DIR, readFvcImage } from '../../../bench/extract/dataset.ts';
import {
  referenceBinarise,
  referenceEnhance,
  referenceOrientationField,
  referenceSmoothBlocks,
  referenceThin,
} from './reference-stages.ts';

const fvc = datasetPresent();
if (!fvc) console.log(`FVC2002 part of the exact-speedup tests skipped: no images at ${FVC_DIR}`);

/** Synthetic prints of three sizes and qualities, and one image of each FVC2002 set when present. */
function images(): { name: string; img: GrayImage }[] {
  const out = [
    { name: 'synthetic 1', img: syntheticFinger(1).impression(0) },
    { name: 'synthetic 2 poor', img: syntheticFinger(2).impression(1, { quality: 'poor' }) },
    { name: 'synthetic 3 small', img: syntheticFinger(3).impression(2, { width: 256, height: 288 }) },
    { name: 'synthetic 4 wet', img: syntheticFinger(4).impression(3, { dryness: -0.4, blots: 4 }) },
  ];
  if (fvc) {
    for (const [set, name] of [
      ['DB1_B', '105_3'],
      ['DB2_B', '109_2'],
      ['DB3_B', '101_4'],
      ['DB4_B', '107_6'],
    ] as const) {
      out.push({ name: `${set}/${name}`, img: readFvcImage(set, name) });
    }
  }
  return out;
}

interface Snapshots {
  normalised: Float32Array;
  field: OrientationField;
  frequency: FrequencyField;
  mask: Uint8Array;
  enhanced: Enhanced;
  binary: Uint8Array;
}

/** Copies of the stages' inputs, taken from a full extraction's debug snapshots. */
function snapshots(img: GrayImage): Snapshots {
  const seen: Partial<Snapshots> = {};
  let enhanced: Enhanced | undefined;
  let binary: Uint8Array | undefined;
  extractMinutiae(img, {
    debug: (stage: ExtractionStage, value: unknown) => {
      if (stage === 'normalised') seen.normalised = (value as Float32Array).slice();
      if (stage === 'orientation') seen.field = value as OrientationField;
      if (stage === 'frequency') seen.frequency = value as FrequencyField;
      if (stage === 'mask') seen.mask = value as Uint8Array;
      if (stage === 'enhanced') {
        const e = value as Enhanced;
        enhanced = { layout: e.layout, response: e.response.slice() };
      }
      if (stage === 'binarised') binary = (value as Uint8Array).slice();
    },
  });
  const { normalised, field, frequency, mask } = seen;
  if (!enhanced || !binary || !normalised || !field || !frequency || !mask)
    throw new Error('extraction gave no snapshot of some stage');
  return { normalised, field, frequency, mask, enhanced, binary };
}

const cases = images();

const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('exact speed-ups of the extractor', () => {
  it.each(cases)('the orientation field equals the reference on $name', ({ img }) => {
    const P = PARAMS;
    const fast = estimateOrientationField(img.pixels, img.width, img.height, {
      blockSize: P.blockSize,
      smoothSigma: P.orientationSmoothSigma,
      smoothRadius: P.orientationSmoothRadius,
    });
    const slow = referenceOrientationField(
      img.pixels,
      img.width,
      img.height,
      P.blockSize,
      P.orientationSmoothSigma,
      P.orientationSmoothRadius,
    );
    expect(same(fast.energy, slow.energy)).toBe(true);
    expect(same(fast.angle, slow.angle)).toBe(true);
    expect(same(fast.coherence, slow.coherence)).toBe(true);
  });

  it('block smoothing equals the reference, weighted or not, at every radius the extractor uses', () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const [cols, rows] of [
      [49, 47],
      [5, 3],
      [1, 9],
    ]) {
      const grid = { blockSize: 8, cols, rows };
      const values = Float32Array.from({ length: cols * rows }, () => rand() * 10);
      const weights = Float32Array.from({ length: cols * rows }, () => (rand() < 0.4 ? 1 : 0));
      for (const [sigma, radius] of [
        [1.2, 3],
        [2 / 1.5, 2],
        [4, 8],
      ]) {
        expect(
          same(smoothBlocks(grid, values, sigma, radius), referenceSmoothBlocks(grid, values, sigma, radius)),
        ).toBe(true);
        expect(
          same(
            smoothBlocks(grid, values, sigma, radius, weights),
            referenceSmoothBlocks(grid, values, sigma, radius, weights),
          ),
        ).toBe(true);
      }
    }
  });

  it.each(cases)('enhancement equals the reference on $name', ({ img }) => {
    const { normalised, field, frequency, mask } = snapshots(img);
    const fast = enhanceRidges(normalised, img.width, img.height, field, frequency, mask, PARAMS);
    const slow = referenceEnhance(normalised, img.width, img.height, field, frequency, mask, PARAMS);
    expect(fast.response.some((v) => v < 0)).toBe(true);
    expect(same(fast.response, slow.response)).toBe(true);
  });

  it('enhancement equals the reference for every direction and every period, 5 to 15 px', () => {
    const width = 200;
    const height = 168;
    const blockSize = PARAMS.blockSize;
    const cols = Math.ceil(width / blockSize);
    const rows = Math.ceil(height / blockSize);
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const normalised = Float32Array.from({ length: width * height }, () => rand() * 4 - 2);
    const n = cols * rows;
    // block b gets period 5 + (b mod 21) / 2 and direction b mod 24 (all of both), a few are off the finger
    const field = {
      blockSize,
      cols,
      rows,
      angle: Float32Array.from({ length: n }, (_, b) => ((b % 24) / 24) * Math.PI + 0.01),
      coherence: new Float32Array(n).fill(1),
      energy: new Float32Array(n).fill(1),
    };
    const frequency = {
      blockSize,
      cols,
      rows,
      period: Float32Array.from({ length: n }, (_, b) => 5 + (b % 21) / 2),
    };
    const mask = Uint8Array.from({ length: n }, (_, b) => (b % 17 === 3 ? 0 : 1));
    const fast = enhanceRidges(normalised, width, height, field, frequency, mask, PARAMS);
    const slow = referenceEnhance(normalised, width, height, field, frequency, mask, PARAMS);
    expect(same(fast.response, slow.response)).toBe(true);
  });

  it.each(cases)('binarise equals the reference on $name', ({ img }) => {
    const { enhanced } = snapshots(img);
    const fast = binarise(enhanced);
    const slow = referenceBinarise(enhanced);
    expect(fast.some((v) => v === 1)).toBe(true);
    expect(same(fast, slow)).toBe(true);
  });

  it.each(cases)('thinning equals the reference (skeleton list and image) on $name', ({ img }) => {
    const { enhanced, binary } = snapshots(img);
    const a = binary.slice();
    const b = binary.slice();
    const fast = thin(a, enhanced.layout, new ReusedBuffers());
    const slow = referenceThin(b, enhanced.layout);
    expect(fast.length).toBeGreaterThan(100);
    expect([...fast]).toEqual([...slow]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('thinning equals the reference on random blobs (passes that switch between full and sparse)', () => {
    const layout = paddedLayout(120, 90, 2);
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 40; trial++) {
      const bin = new Uint8Array(layout.size);
      // thick random strokes and filled rectangles of many sizes: long tails of one deletion a pass
      for (let s = 0; s < 6 + trial; s++) {
        const x0 = Math.floor(rand() * 110);
        const y0 = Math.floor(rand() * 80);
        const w = 1 + Math.floor(rand() * (s % 3 === 0 ? 60 : 6));
        const h = 1 + Math.floor(rand() * (s % 3 === 1 ? 50 : 6));
        for (let y = y0; y < Math.min(90, y0 + h); y++)
          for (let x = x0; x < Math.min(120, x0 + w); x++) bin[(y + 2) * layout.stride + x + 2] = 1;
      }
      const a = bin.slice();
      const fast = thin(a, layout);
      const slow = referenceThin(bin, layout);
      expect([...fast]).toEqual([...slow]);
      expect(Buffer.from(a).equals(Buffer.from(bin))).toBe(true);
    }
  });

  it('extraction with buffers reused across images of different sizes equals extraction on fresh buffers', () => {
    // No debug sink: the thread's reused buffers. A debug sink: fresh buffers.
    const run = (img: GrayImage) => extractMinutiae(img);
    const fresh = (img: GrayImage) => extractMinutiae(img, { debug: () => {} });
    const order = [...cases, ...cases.slice().reverse()];
    for (const { name, img } of order) {
      expect(run(img), name).toEqual(fresh(img));
    }
  });
});
