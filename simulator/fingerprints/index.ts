/**
 * Synthetic fingerprints in the spirit of SFinGe (Cappelli, Maio, Maltoni, "Synthetic
 * fingerprint-image generation", ICPR 2000; Handbook of Fingerprint Recognition, chapter on synthetic
 * fingerprint generation). See docs/synthetic-fingerprints.md for the model.
 *
 *   const finger = syntheticFinger(42);
 *   const img = finger.impression(0);            // GrayImage 288 x 384 at 500 dpi
 *   const bad = finger.impression(1, { quality: 'poor' });
 *
 * Everything is deterministic from (fingerSeed, impressionSeed) for a given Node version.
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import type { FingerClass } from './classes.ts';
import { type ImpressionOptions, renderImpression } from './impression.ts';
import { type MasterFinger, type MasterOptions, makeMasterFinger } from './master.ts';

export {
  CLASS_FREQUENCIES,
  FINGER_CLASSES,
  type FingerClass,
  type Point,
  type SingularPoints,
} from './classes.ts';
export {
  type ImpressionOptions,
  type ImpressionQuality,
  renderImpression,
  SENSOR_SIZES,
} from './impression.ts';
export {
  drawFingerClass,
  MASTER_HEIGHT,
  MASTER_WIDTH,
  type MasterFinger,
  type MasterOptions,
  makeMasterFinger,
} from './master.ts';
export { orientationAt } from './orientation.ts';
export { mixSeeds, mulberry32, Rng } from './prng.ts';

export interface SyntheticFinger {
  seed: number;
  fingerClass: FingerClass;
  master: MasterFinger;
  /** One impression of this finger; same `seed` and options give the same bytes. */
  impression(seed: number, opts?: ImpressionOptions): GrayImage;
}

/** Convenience: a master fingerprint and a way to take impressions of it. */
export function syntheticFinger(seed: number, opts?: MasterOptions): SyntheticFinger {
  const master = makeMasterFinger(seed, opts);
  return {
    seed,
    fingerClass: master.fingerClass,
    master,
    impression: (s, o) => renderImpression(master, s, o),
  };
}
export {
  blotField,
  drawSkinMarks,
  randomWarp,
  type SkinMark,
  type TouchCondition,
} from './hard-conditions.ts';
export { type HardMixFinger, hardMixFinger, hardMixFingerSeed, hardTouch } from './hard-mix.ts';
