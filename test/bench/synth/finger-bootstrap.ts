/**
 * How firm an EER (or a ratio of two matchers' EERs) is on a small set: resample FINGERS with
 * replacement (pairs of one finger are not independent, so resampling pairs would overstate the
 * precision), rebuild the FVC-protocol pairs of the drawn fingers, and report the 5th and 95th
 * percentiles. Seeded, so a figure printed once can be printed again.
 */

import { Rng } from '../../../simulator/fingerprints/prng.ts';
import type { Pair } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate } from '../../../src/biometrics/eval/rates.ts';

export interface BootstrapResult {
  /** [5th, 95th] percentile of each scorer's EER, and of the first's over the second's */
  eer: [number, number][];
  ratio: [number, number];
}

/**
 * `genuine` and `impostor` are the FVC-protocol pairs; `scorers[k](pair)` the k-th matcher's score.
 * An impostor pair is kept when both of its fingers were drawn, once per pair of drawn copies.
 */
export function fingerBootstrap(
  genuine: readonly Pair[],
  impostor: readonly Pair[],
  scorers: readonly ((p: Pair) => number)[],
  rounds = 1000,
  seed = 1,
): BootstrapResult {
  const fingers = [...new Set(genuine.map((p) => p.a.finger))];
  const genByFinger = new Map<string, Pair[]>(fingers.map((f) => [f, []]));
  for (const p of genuine) genByFinger.get(p.a.finger)!.push(p);
  const impByPair = new Map<string, Pair>();
  for (const p of impostor) impByPair.set(`${p.a.finger}|${p.b.finger}`, p);
  const rng = new Rng(seed);
  const eers: number[][] = scorers.map(() => []);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const drawn = fingers.map(() => fingers[rng.int(fingers.length)]);
    const gen = drawn.flatMap((f) => genByFinger.get(f)!);
    const imp: Pair[] = [];
    for (let i = 0; i < drawn.length; i++)
      for (let j = i + 1; j < drawn.length; j++) {
        const p = impByPair.get(`${drawn[i]}|${drawn[j]}`) ?? impByPair.get(`${drawn[j]}|${drawn[i]}`);
        if (p) imp.push(p);
      }
    const e = scorers.map((s) => equalErrorRate(gen.map(s), imp.map(s)));
    for (let k = 0; k < e.length; k++) eers[k].push(e[k]);
    if (e.length > 1 && e[1] > 0) ratios.push(e[0] / e[1]);
  }
  return { eer: eers.map(interval), ratio: interval(ratios) };
}

function interval(xs: number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return [Number.NaN, Number.NaN];
  return [s[Math.floor(0.05 * (s.length - 1))], s[Math.ceil(0.95 * (s.length - 1))]];
}
