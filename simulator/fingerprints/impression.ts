/**
 * One impression (one touch of the finger on a sensor) of a master fingerprint (SFinGe step 5;
 * Cappelli, Maio, Maltoni, ICPR 2000, and the Handbook of Fingerprint Recognition): placement and
 * rotation, plastic skin distortion, contact area from pressure, dryness / wetness of the skin,
 * pores and breaks, smudges, background, noise and contrast. Deterministic from the master and the
 * impression seed.
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { type Pose, randomPlasticDistortion, sensorToMaster } from './distortion.ts';
import { blotField, markShapes, markSurvival, randomWarp, type SkinMark } from './hard-conditions.ts';
import type { MasterFinger } from './master.ts';
import { mixSeeds, Rng } from './prng.ts';
import { blur3, inkFromRidges, renderSensor, type SensorParams, type SkinParams } from './sensor-effects.ts';
import { insideness } from './shape.ts';
import { valueNoise } from './smooth-noise.ts';

export type ImpressionQuality = 'good' | 'poor';

export interface ImpressionOptions {
  /** sensor size in pixels at 500 dpi (default 288 x 384, like FVC2002 DB4) */
  width?: number;
  height?: number;
  /** 'poor': heavy noise, very dry or very wet skin, smudges, low contrast (for POOR_QUALITY paths) */
  quality?: ImpressionQuality;
  /** overrides of the drawn values, mostly for tests and demos */
  rotationDeg?: number;
  shiftX?: number;
  shiftY?: number;
  /** plastic distortion strength; 0 = rigid placement only (default 1, poor quality 1.5) */
  distortion?: number;
  /** ridge threshold shift: > 0 dry, < 0 wet (default drawn by quality) */
  dryness?: number;
  /** hard conditions (docs/synthetic-fingerprints.md, "Hard mix"); all default to none */
  /** amplitude in pixels of a smooth non-linear displacement added to the plastic model */
  warp?: number;
  /** fraction (0..1) of ridge length lost to breaks, overriding the drawn value (dry skin: 0.5+) */
  breaks?: number;
  /** 0..1: loss of ridge contrast (a dry finger pressed lightly gives faint ridges) */
  faint?: number;
  /** water or sweat blots where ridges merge (wet finger) */
  blots?: number;
  /** scars and creases of the finger, master coordinates (`drawSkinMarks`) */
  marks?: readonly SkinMark[];
}

/** Sensor sizes of devices the project meets, at 500 dpi. */
export const SENSOR_SIZES = {
  fvcDb4: { width: 288, height: 384 },
  growR30x: { width: 256, height: 288 },
} as const;

const STREAM = {
  pose: 11,
  distortion: 12,
  contact: 13,
  skin: 14,
  sensor: 15,
  params: 16,
  warp: 17,
  blots: 18,
} as const;

export function renderImpression(
  master: MasterFinger,
  seed: number,
  opts: ImpressionOptions = {},
): GrayImage {
  const width = opts.width ?? SENSOR_SIZES.fvcDb4.width;
  const height = opts.height ?? SENSOR_SIZES.fvcDb4.height;
  const quality = opts.quality ?? 'good';
  const rng = (label: number) => new Rng(mixSeeds(master.seed, seed, label));

  const pr = rng(STREAM.pose);
  const deg = opts.rotationDeg ?? pr.normalIn(0, 7, -15, 15);
  const pose: Pose = {
    rotation: (deg * Math.PI) / 180,
    masterX: master.shape.cx + (opts.shiftX ?? pr.normalIn(0, 30, -70, 70)),
    masterY: master.height * 0.46 + (opts.shiftY ?? pr.normalIn(0, 24, -55, 55)),
  };
  const strength = opts.distortion ?? (quality === 'poor' ? 1.5 : 1);
  const plastic = randomPlasticDistortion(rng(STREAM.distortion), width, height, strength);
  const warp = opts.warp ? randomWarp(rng(STREAM.warp), width, height, opts.warp) : undefined;
  const map = sensorToMaster(pose, plastic, width, height, warp);
  const marks = opts.marks?.length ? markShapes(opts.marks) : undefined;

  const { skin, sensor, extraBlur, contactShrink } = drawParams(rng(STREAM.params), quality, opts);
  if (opts.breaks !== undefined) skin.breaks = opts.breaks;
  if (opts.faint) sensor.depth *= 1 - Math.min(0.9, opts.faint);

  // contact: the finger silhouette, shrunk by light pressure, with a rough edge, fading out
  // towards the first finger joint where the finger leaves the platen
  const cr = rng(STREAM.contact);
  const rough = valueNoise(cr, width, height, 14, 2);
  const liftY = master.height * cr.uniform(0.82, 1.05);
  const ridge = new Float32Array(width * height);
  const contact = new Float32Array(width * height);
  const m = new Float64Array(2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      map(x, y, m);
      const edge = insideness(master.shape, m[0], m[1]) - contactShrink + 7 * rough.data[i];
      let c = edge / 10;
      c = c <= 0 ? 0 : Math.min(c, 1);
      const lift = (liftY - m[1]) / 50;
      c *= lift <= 0 ? 0 : Math.min(lift, 1);
      if (c === 0) continue;
      contact[i] = c;
      const r = sampleBilinear(master.ridges, master.width, master.height, m[0], m[1]);
      // a scar or crease: no ridge touches the platen along it (the line shows white)
      const keep = marks ? markSurvival(marks, m[0], m[1]) : 1;
      ridge[i] = keep === 1 ? r : keep * r - (1 - keep);
    }
  }

  const blots = opts.blots ? blotField(rng(STREAM.blots), width, height, opts.blots) : undefined;
  let ink = inkFromRidges(rng(STREAM.skin), ridge, contact, width, height, skin, blots);
  if (extraBlur > 0) ink = blur3(ink, width, height, extraBlur);
  const pixels = renderSensor(rng(STREAM.sensor), ink, width, height, sensor);
  return { width, height, dpi: 500, pixels };
}

function drawParams(
  r: Rng,
  quality: ImpressionQuality,
  opts: ImpressionOptions,
): { skin: SkinParams; sensor: SensorParams; extraBlur: number; contactShrink: number } {
  if (quality === 'poor') {
    const dry = r.random() < 0.6;
    return {
      skin: {
        dryness: opts.dryness ?? (dry ? r.uniform(0.35, 0.55) : r.uniform(-0.6, -0.4)),
        unevenness: r.uniform(0.8, 1.2),
        breaks: r.uniform(0.3, 0.45),
      },
      sensor: {
        background: r.normalIn(165, 10, 140, 190),
        backgroundVariation: r.uniform(12, 20),
        depth: r.uniform(55, 85),
        noise: r.uniform(18, 28),
        smudges: 3 + r.int(4),
        vignette: r.uniform(0.5, 1),
      },
      extraBlur: 1 + r.int(2),
      contactShrink: r.uniform(10, 45),
    };
  }
  return {
    skin: {
      dryness: opts.dryness ?? r.normalIn(0.2, 0.1, -0.05, 0.45),
      unevenness: r.uniform(0.4, 0.8),
      breaks: r.uniform(0.28, 0.42),
    },
    sensor: {
      background: r.normalIn(178, 6, 162, 192),
      backgroundVariation: r.uniform(5, 10),
      depth: r.uniform(120, 150),
      noise: r.uniform(1.5, 4),
      smudges: r.int(3),
      vignette: r.uniform(0.2, 0.6),
    },
    extraBlur: 0,
    contactShrink: r.uniform(0, 25),
  };
}

function sampleBilinear(f: Float32Array, w: number, h: number, x: number, y: number): number {
  if (x < 0 || y < 0 || x > w - 1 || y > h - 1) return 0;
  const ix = Math.min(w - 2, Math.floor(x));
  const iy = Math.min(h - 2, Math.floor(y));
  const fx = x - ix;
  const fy = y - iy;
  const i = iy * w + ix;
  return (f[i] * (1 - fx) + f[i + 1] * fx) * (1 - fy) + (f[i + w] * (1 - fx) + f[i + w + 1] * fx) * fy;
}
