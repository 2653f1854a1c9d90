/**
 * Writes the synthetic "hard mix" (simulator/fingerprints/hard-mix.ts) in the FVC folder layout:
 * `<finger>_<impression>.tif`, 8-bit greyscale, 500 dpi, 288 x 384, plus `conditions.json` (the
 * conditions of each touch and the marks of each finger). Deterministic from the seed. The folder
 * must be outside the repository; score it with test/bench/synth/hard-mix-eer.ts, with
 * `ektp-bridge eval --dataset DIR`, or with NBIS through ../shared/tools/nbis/.
 *
 *   npx tsx test/bench/synth/hard-mix.ts --out /tmp/hard-mix [--seed 1] [--fingers 100] [--impressions 8]
 */
import fs from 'node:fs';
import path from 'node:path';
import { hardMixFinger } from '../../../simulator/fingerprints/index.ts';
import { numOpt } from '../args.ts';
import { encodeTiffGray } from './image-io.ts';
import { outDirOutsideRepo } from './out-args.ts';

const out = outDirOutsideRepo(
  'hard-mix.ts --out DIR [--seed 1] [--fingers 100] [--impressions 8]',
  '/tmp/hard-mix',
);
const seed = numOpt('seed', 1);
const fingers = numOpt('fingers', 100);
const impressions = numOpt('impressions', 8);

fs.mkdirSync(out, { recursive: true });
const t0 = performance.now();
const record: Record<string, { marks: string[]; touches: Record<string, string[]> }> = {};
const tally = new Map<string, number>();
for (let f = 1; f <= fingers; f++) {
  const finger = hardMixFinger(seed, f);
  const touches: Record<string, string[]> = {};
  for (let i = 1; i <= impressions; i++) {
    const { image, conditions } = finger.impression(i);
    fs.writeFileSync(path.join(out, `${f}_${i}.tif`), encodeTiffGray(image));
    touches[i] = conditions;
    for (const c of conditions) tally.set(c, (tally.get(c) ?? 0) + 1);
  }
  record[f] = { marks: finger.marks.map((m) => m.kind), touches };
  if (f % 10 === 0) process.stderr.write(`  ${f}/${fingers} fingers\r`);
}
fs.writeFileSync(
  path.join(out, 'conditions.json'),
  `${JSON.stringify({ seed, fingers, impressions, fingersByIndex: record }, null, 1)}\n`,
);
const scarred = Object.values(record).filter((r) => r.marks.includes('scar')).length;
const creased = Object.values(record).filter((r) => r.marks.includes('crease')).length;
console.log(
  `hard mix seed ${seed}: ${fingers} fingers x ${impressions} impressions in ${out} ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
console.log(
  `  touches: ${[...tally].map(([c, n]) => `${c} ${n}`).join(', ')}; fingers with scars ${scarred}, with creases ${creased}`,
);
