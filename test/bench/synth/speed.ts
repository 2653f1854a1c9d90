/**
 * Benchmark: time to make a master fingerprint and to render one impression (median and p95 over
 * N fingers, after a warm-up), plus the stages of the master. Prints figures; asserts nothing.
 *   npx tsx test/bench/synth/speed.ts [N]
 */
import { makeMasterFinger, renderImpression } from '../../../simulator/fingerprints/index.ts';

const n = Number(process.argv[2] ?? 20);
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
for (let i = 0; i < 3; i++) renderImpression(makeMasterFinger(10_000 + i), 0); // JIT warm-up
const master: number[] = [];
const impression: number[] = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const m = makeMasterFinger(i + 1);
  const t1 = performance.now();
  renderImpression(m, 1);
  const t2 = performance.now();
  master.push(t1 - t0);
  impression.push(t2 - t1);
}
const fmt = (xs: number[]) => `median ${q(xs, 0.5).toFixed(0)} ms, p95 ${q(xs, 0.95).toFixed(0)} ms`;
console.log(`master fingerprint 320x448 (${n} fingers): ${fmt(master)}`);
console.log(`impression 288x384: ${fmt(impression)}`);
