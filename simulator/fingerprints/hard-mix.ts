/**
 * The "hard mix": a set of synthetic fingers and impressions in which most touches carry one or two
 * of the conditions that hurt matching at real counters (hard-conditions.ts), and a quarter to a
 * third of the fingers carry scars or creases. Deterministic from one seed, so that a set written
 * to disk (test/bench/synth/hard-mix.ts) can be rebuilt bit for bit and scored by any matcher.
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { drawSkinMarks, type SkinMark, type TouchCondition } from './hard-conditions.ts';
import type { ImpressionOptions } from './impression.ts';
import { renderImpression } from './impression.ts';
import { makeMasterFinger } from './master.ts';
import { mixSeeds, Rng } from './prng.ts';

const WEIGHTS: Readonly<Record<TouchCondition, number>> = {
  normal: 0.1,
  distorted: 0.22,
  rotated: 0.17,
  partial: 0.17,
  dry: 0.17,
  wet: 0.17,
};
const FINGER_STREAM = 51;
const TOUCH_STREAM = 52;

/** The options that make one touch hard, and the names of the conditions drawn. */
export function hardTouch(
  fingerSeed: number,
  impression: number,
): { conditions: TouchCondition[]; options: ImpressionOptions } {
  const r = new Rng(mixSeeds(fingerSeed, impression, TOUCH_STREAM));
  const first = r.weighted(WEIGHTS);
  const conditions: TouchCondition[] = [first];
  if (first !== 'normal' && r.random() < 0.35) {
    const second = r.weighted(WEIGHTS);
    // dry and wet exclude each other; a repeated draw adds nothing
    if (second !== 'normal' && second !== first && !(isSkin(first) && isSkin(second)))
      conditions.push(second);
  }
  const options: ImpressionOptions = {};
  const sign = () => (r.random() < 0.5 ? -1 : 1);
  for (const c of conditions) {
    switch (c) {
      case 'distorted':
        options.distortion = r.uniform(2, 3);
        options.warp = r.uniform(6, 11);
        break;
      case 'rotated':
        options.rotationDeg = sign() * r.uniform(20, 40);
        break;
      case 'partial': {
        // the finger's centre lands near one or two edges of the sensor: small overlap
        const which = r.int(3);
        if (which !== 1) options.shiftX = sign() * r.uniform(80, 115);
        if (which !== 0) options.shiftY = sign() * r.uniform(70, 110);
        break;
      }
      case 'dry':
        options.dryness = r.uniform(0.4, 0.6);
        options.breaks = r.uniform(0.45, 0.6);
        options.faint = r.uniform(0.3, 0.6);
        break;
      case 'wet':
        options.dryness = r.uniform(-0.6, -0.35);
        options.blots = 2 + r.int(4);
        break;
      case 'normal':
        break;
    }
  }
  return { conditions, options };
}

function isSkin(c: TouchCondition): boolean {
  return c === 'dry' || c === 'wet';
}

/** Seed of finger `index` (1-based) of the hard mix drawn from `seed`. */
export function hardMixFingerSeed(seed: number, index: number): number {
  return mixSeeds(seed, index, FINGER_STREAM);
}

export interface HardMixFinger {
  index: number;
  seed: number;
  /** the finger's scars and creases, present in every impression */
  marks: readonly SkinMark[];
  /** impression 1..n: its image and the conditions of that touch */
  impression(n: number): { image: GrayImage; conditions: TouchCondition[] };
}

/** Finger `index` (1-based) of the hard mix drawn from `seed`, its marks included. */
export function hardMixFinger(seed: number, index: number): HardMixFinger {
  const fingerSeed = hardMixFingerSeed(seed, index);
  const master = makeMasterFinger(fingerSeed);
  const marks = drawSkinMarks(master);
  return {
    index,
    seed: fingerSeed,
    marks,
    impression(n) {
      const { conditions, options } = hardTouch(fingerSeed, n);
      return { image: renderImpression(master, n, { ...options, marks }), conditions };
    },
  };
}
