/**
 * Master fingerprint: the whole ridge pattern of one synthetic finger, before any impression effect
 * (SFinGe steps 1-4: shape, orientation, ridge period, ridge growth). Deterministic from its seed.
 */
import {
  CLASS_FREQUENCIES,
  type FingerClass,
  type Point,
  placeSingularities,
  type SingularPoints,
} from './classes.ts';
import { periodMap } from './frequency.ts';
import { hairpinShape, type OrientationModel, orientationField, randomCorrection } from './orientation.ts';
import { mixSeeds, Rng } from './prng.ts';
import { DEFAULT_GROWTH, type GrowthOptions, growRidges } from './ridge-growth.ts';
import { type FingerShape, randomShape, shapeMask } from './shape.ts';

export interface MasterFinger {
  seed: number;
  fingerClass: FingerClass;
  /** master canvas in pixels at `dpi` */
  width: number;
  height: number;
  dpi: number;
  shape: FingerShape;
  /** 1 inside the fingerprint area */
  mask: Uint8Array;
  singular: SingularPoints;
  orientationModel: OrientationModel;
  /** ridge direction per pixel, radians in [0, π), counter-clockwise as seen (ISO convention) */
  orientation: Float32Array;
  /** ridge period per pixel, pixels */
  period: Float32Array;
  /** ridge field per pixel, about +1 on a ridge centre, −1 in a valley, 0 outside the mask */
  ridges: Float32Array;
}

export interface MasterOptions {
  /** force a class instead of drawing it with the natural frequencies */
  fingerClass?: FingerClass;
  /** canvas size (default 320 x 448, which holds a whole fingertip at 500 dpi) */
  width?: number;
  height?: number;
  /** mean ridge period in pixels (default drawn around 8.4, so the print averages about 9) */
  meanPeriod?: number;
  growth?: Partial<GrowthOptions>;
  /** strength (0..0.9) of the loop-legs correction, for experiments */
  hairpin?: number;
}

export const MASTER_WIDTH = 320;
export const MASTER_HEIGHT = 448;

// sub-stream labels, so changing how one stage draws numbers does not reshuffle the others
const STREAM = { cls: 1, shape: 2, singular: 3, orientation: 4, period: 5, ridges: 6 } as const;

/** The class a finger seed gets when none is forced (natural frequencies); cheap, for statistics. */
export function drawFingerClass(seed: number): FingerClass {
  return new Rng(mixSeeds(seed, STREAM.cls)).weighted(CLASS_FREQUENCIES);
}

/** Class-specific Vizcaya-Gerhardt correction for a core (loops get parallel legs). */
function coreShape(
  cls: FingerClass,
  core: Point,
  sp: SingularPoints,
  opts: MasterOptions,
): (a: number) => number {
  if ((cls !== 'left-loop' && cls !== 'right-loop') || sp.deltas.length === 0) return () => 0;
  const d = sp.deltas[0];
  // legs leave the core mirrored from the delta about the loop's axis (roughly the vertical)
  const towardsDelta = Math.atan2(core.y - d.y, d.x - core.x);
  return hairpinShape(-Math.PI - towardsDelta, opts.hairpin ?? 0.75);
}

export function makeMasterFinger(seed: number, opts: MasterOptions = {}): MasterFinger {
  const width = opts.width ?? MASTER_WIDTH;
  const height = opts.height ?? MASTER_HEIGHT;
  const rng = (label: number) => new Rng(mixSeeds(seed, label));

  const fingerClass = opts.fingerClass ?? drawFingerClass(seed);
  const shape = randomShape(rng(STREAM.shape), width, height);
  const mask = shapeMask(shape, width, height);

  const sr = rng(STREAM.singular);
  const tilt = sr.normalIn(0, 0.1, -0.25, 0.25);
  const singular = placeSingularities(sr, fingerClass, shape, tilt);

  const orng = rng(STREAM.orientation);
  const orientationModel: OrientationModel = {
    singular,
    coreCorrections: singular.cores.map((c) =>
      randomCorrection(orng, 0.1, coreShape(fingerClass, c, singular, opts)),
    ),
    deltaCorrections: singular.deltas.map(() => randomCorrection(orng, 0.12)),
    base: tilt,
  };
  if (fingerClass === 'arch') {
    const fingerTop = shape.cy - shape.middle / 2 - shape.top;
    orientationModel.arch = {
      cx: shape.cx + orng.uniform(-15, 15),
      cy: fingerTop + orng.uniform(0.45, 0.6) * (shape.top + shape.middle + shape.bottom),
      amplitude: orng.uniform(45, 80),
      spread: orng.uniform(45, 70),
      falloff: orng.uniform(90, 140),
    };
  }
  const orientation = orientationField(orientationModel, width, height);
  const period = periodMap(rng(STREAM.period), width, height, singular, { mean: opts.meanPeriod });
  const growth = { ...DEFAULT_GROWTH, ...opts.growth };
  const ridges = growRidges(rng(STREAM.ridges), width, height, mask, orientation, period, growth);

  return {
    seed,
    fingerClass,
    width,
    height,
    dpi: 500,
    shape,
    mask,
    singular,
    orientationModel,
    orientation,
    period,
    ridges,
  };
}
