/**
 * Worker side of MatchPool.warmUp(): run extraction and comparison on a made-up print until V8 has
 * compiled their hot loops, so the first finger.verify after the daemon starts costs what the next
 * one does (a fresh worker's first extraction takes ~30x a warm one: module load, then interpreted
 * and baseline code until the optimising compiler has seen enough iterations).
 *
 * The print is procedural (no simulator here: the pool must not depend on it): concentric ridges
 * with a phase singularity at each of a few dozen points. Each singularity starts or ends one
 * ridge, i.e. makes a minutia, so the matcher's pairing and re-fit run for real.
 */
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { extractMinutiae } from '../extract/index.ts';
import { compare } from '../match/index.ts';
import { newChunkPlan, newOwners } from './chunk-claims.ts';
import { type ScanJob, scanGalleryUncached } from './gallery-scan.ts';
import { packSetsShared } from './packed-sets.ts';

const WIDTH = 300;
const HEIGHT = 380;
/**
 * Ridge period at the centre, and its growth per pixel outwards: 5.5 px in the middle to ~13 px at
 * the edge, the range of real fingers at 500 dpi. The extractor's filters take other code paths
 * for other periods (kernel radii), and a path the warm-up never took is compiled, and the
 * function deoptimised, during the first real verifies instead (measured: 2-4x their CPU).
 */
const CENTRE_PERIOD = 5.5;
const PERIOD_GROWTH = 0.045;

/** The made-up print, and the same print shifted by (dx, dy) pixels (a second "impression"). */
export function warmUpImages(dx = 11, dy = -8): [GrayImage, GrayImage] {
  const a = ridgeImage();
  const b = new Uint8Array(a.pixels.length).fill(200);
  for (let y = Math.max(0, dy); y < HEIGHT + Math.min(0, dy); y++) {
    const from = (y - dy) * WIDTH;
    for (let x = Math.max(0, dx); x < WIDTH + Math.min(0, dx); x++)
      b[y * WIDTH + x] = a.pixels[from + x - dx];
  }
  return [a, { ...a, pixels: b }];
}

/**
 * Prints unlike the pair above, extracted (not compared) at warm-up: the shifted copy under strong
 * noise, and a copy moved so far that the sensor's edges cut the finger, under stronger noise. Real
 * captures are noisy and often cut; on the clean pair alone, the first real extractions after
 * warm-up still took ~2x a steady one (V8 met branches the clean print never took and recompiled),
 * with these ~1.3x (in-process, DB1_B, 32 warm-up extractions either way).
 */
export function warmUpVariants(): GrayImage[] {
  const [, shifted] = warmUpImages();
  const [, cut] = warmUpImages(90, -110);
  let s = 99;
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const noisy = (img: GrayImage, amplitude: number): GrayImage => ({
    ...img,
    pixels: img.pixels.map((v) => Math.max(0, Math.min(255, Math.round(v + noise() * amplitude)))),
  });
  // The cut print on a larger canvas (the sensors we meet are at most 416 px a side at 500 dpi):
  // the extractor's reused buffers then already have their size when the first capture comes.
  const big = new Uint8Array(BIG * BIG).fill(200);
  for (let y = 0; y < HEIGHT; y++) big.set(cut.pixels.subarray(y * WIDTH, (y + 1) * WIDTH), y * BIG);
  return [noisy(shifted, 80), noisy({ width: BIG, height: BIG, dpi: 500, pixels: big }, 120)];
}

/** Side of the larger warm-up canvas. */
const BIG = 416;

function ridgeImage(): GrayImage {
  const pixels = new Uint8Array(WIDTH * HEIGHT);
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2;
  // deterministic singular points (a small LCG), away from the border
  const points: [number, number, number][] = [];
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (let k = 0; k < 36; k++)
    points.push([(next() - 0.5) * 200, (next() - 0.5) * 280, next() < 0.5 ? 1 : -1]);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const fx = x - cx;
      const fy = y - cy;
      if ((fx / 120) ** 2 + (fy / 165) ** 2 > 1) {
        pixels[y * WIDTH + x] = 200;
        continue;
      }
      // phase = 2π ∫ dρ / period(ρ) with period(ρ) = CENTRE_PERIOD + PERIOD_GROWTH ρ
      const rho = Math.hypot(fx + 20, 1.15 * (fy + 40));
      let phase = ((2 * Math.PI) / PERIOD_GROWTH) * Math.log1p((PERIOD_GROWTH * rho) / CENTRE_PERIOD);
      for (const [px, py, sign] of points) phase += sign * Math.atan2(fy - py, fx - px);
      pixels[y * WIDTH + x] = Math.round(135 - 85 * Math.cos(phase));
    }
  }
  return { width: WIDTH, height: HEIGHT, dpi: 500, pixels };
}

let images: [GrayImage, GrayImage] | undefined;
let variants: GrayImage[] | undefined;

/** Longest a warm-up job waits for its siblings to have started (see `barrier`). */
const BARRIER_WAIT_MS = 5_000;

/**
 * Extracts `rounds` pairs of made-up impressions and compares them, through the same functions the
 * pool's tasks call. Returns the last genuine score (so nothing is optimised away, and a test can
 * tell that the matcher really ran: it is well above an impostor's).
 *
 * `barrier` (shared memory: [started, expected]) keeps one worker from taking two warm-up jobs:
 * each job counts itself in when it starts and, when done, waits (up to 5 s) until every job has
 * started, so a worker that finishes early is not free to take a sibling's job.
 */
export function warmUp(rounds = 4, barrier?: Int32Array): number {
  if (barrier) {
    Atomics.add(barrier, 0, 1);
    Atomics.notify(barrier, 0);
  }
  let score = 0;
  for (let r = 0; r < rounds; r++) {
    images ??= warmUpImages();
    variants ??= warmUpVariants();
    // extraction takes the image's pixels as they are (it does not move or keep them)
    const a: MinutiaeSet = extractMinutiae(images[0]);
    const b: MinutiaeSet = extractMinutiae(images[1]);
    for (const v of variants) extractMinutiae(v);
    score = compare(a, b);
    // what finger.verify's compareMany does in this worker: the card's templates packed in shared
    // memory, a chunk plan, unpacking, preparing and scoring (gallery-scan.ts, without its cache)
    for (let i = 0; i < 10; i++) {
      const card = [b, a];
      const job: ScanJob = {
        key: 'warm-up',
        live: [],
        gallery: packSetsShared(card),
        plan: newChunkPlan(card.length, card.length, newOwners(card.length, card.length), 1),
        out: new Float64Array(new SharedArrayBuffer(card.length * Float64Array.BYTES_PER_ELEMENT)),
      };
      scanGalleryUncached(a, job);
      score = Math.min(score, job.out[0] + 1);
    }
  }
  if (barrier) {
    const until = Date.now() + BARRIER_WAIT_MS;
    for (let seen = Atomics.load(barrier, 0); seen < barrier[1] && Date.now() < until; ) {
      Atomics.wait(barrier, 0, seen, Math.max(1, until - Date.now()));
      seen = Atomics.load(barrier, 0);
    }
  }
  return score;
}
