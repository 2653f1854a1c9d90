/**
 * Benchmark: extraction time per image (median, p95) and mean minutiae count per FVC2002 set, plus
 * where the time goes (the gap before each debug snapshot, median per stage, from a second run with a
 * debug sink).
 * Usage: npx tsx test/bench/extract/bench.ts [DB1_B ...]
 */
import { type ExtractionStage, extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { datasetPresent, type FvcSet, imageNames, readFvcImage, SETS } from './dataset.ts';

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}
const sets = process.argv.slice(2).filter((a) => a.startsWith('DB')) as FvcSet[];
const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
for (const set of sets.length ? sets : SETS) {
  const images = imageNames(set).map((n) => readFvcImage(set, n));
  for (const img of images.slice(0, 10)) extractMinutiae(img); // warm-up (JIT)
  const times: number[] = [];
  // CPU time as well as wall time: on a shared 2-core machine the wall clock includes waiting for a core.
  const cpu: number[] = [];
  const counts: number[] = [];
  const qualities: number[] = [];
  const stages = new Map<ExtractionStage, number[]>();
  for (const img of images) {
    // Timed as the pool runs it: no debug sink (a sink makes the extractor allocate fresh buffers
    // so that its snapshots survive; without one it reuses the thread's buffers).
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = extractMinutiae(img);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    counts.push(r.minutiae.length);
    qualities.push(r.imageQuality);
    let last = performance.now();
    extractMinutiae(img, {
      debug: (stage) => {
        const now = performance.now();
        if (!stages.has(stage)) stages.set(stage, []);
        stages.get(stage)!.push(now - last);
        last = now;
      },
    });
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(
    `${set} ${images[0].width}x${images[0].height}: extraction median ${median(times).toFixed(2)} ms, ` +
      `p95 ${quantile(times, 0.95).toFixed(2)} ms (CPU time median ${median(cpu).toFixed(2)} ms), minutiae mean ${mean(counts).toFixed(1)} ` +
      `(min ${Math.min(...counts)}, max ${Math.max(...counts)}), quality mean ${mean(qualities).toFixed(0)}`,
  );
  console.log(
    `  stages (median ms): ${[...stages].map(([s, xs]) => `${s} ${median(xs).toFixed(2)}`).join(', ')}`,
  );
}
