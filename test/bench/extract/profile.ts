/**
 * Dev script: per-stage cost on one image, as the minimum over 60 runs (robust to other processes
 * on a shared machine; the medians are in bench.ts). Usage: npx tsx test/bench/extract/profile.ts [102_1]
 */
import { type ExtractionStage, extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { datasetPresent, readFvcImage } from './dataset.ts';

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}

const img = readFvcImage('DB1_B', process.argv[2] ?? '102_1');
const mins = new Map<ExtractionStage, number>();
let best = 1e9;
for (let r = 0; r < 60; r++) {
  let last = performance.now();
  const t0 = last;
  extractMinutiae(img, {
    debug: (s) => {
      const n = performance.now();
      mins.set(s, Math.min(mins.get(s) ?? 1e9, n - last));
      last = n;
    },
  });
  best = Math.min(best, performance.now() - t0);
}
console.log('min total', best.toFixed(2), [...mins].map(([s, v]) => `${s} ${v.toFixed(2)}`).join(', '));
