/**
 * Measures the matcher's THRESHOLDS (src/biometrics/match/thresholds.ts): impostor scores of all four
 * FVC2002 "B" sets (all cross-finger pairs, 4 x 2,880), pooled, in the two ways the daemon compares:
 *   live  = our extraction against the commercial .iso template of the other impression (verify
 *           against a card: eval --templates iso),
 *   ours  = our extraction on both sides (1:N against a gallery we enrolled: eval),
 * and prints the lowest score keeping FMR <= 1%, 0.1%, 0.01% for each, plus the per-set rates.
 * The shipped thresholds are the larger of the two, so neither use exceeds its target FMR.
 * It also writes src/biometrics/verify-policy/impostor-tails.json, the measured impostor side of the
 * verify policy (impostor-tails.ts): in each mode, every card template against every other finger's
 * impressions in rotation, the highest sums of k = 1..10 consecutive scores, each score taken as
 * finger.verify takes an attempt's (the best of the live image's views, extract/live-views.ts). The
 * daemon's per-call policy takes its thresholds from that file, so this run updates the policy too.
 *   npm run eval:thresholds
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { fvcSetDpi } from '../../../src/biometrics/eval/dataset.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr, thresholdAtFmr } from '../../../src/biometrics/eval/rates.ts';
import { isoTemplateOnImage } from '../../../src/biometrics/eval/template-geometry.ts';
import { extractLiveViews } from '../../../src/biometrics/extract/live-views.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { compare, THRESHOLDS } from '../../../src/biometrics/match/index.ts';
import {
  type ImpostorTailsFile,
  impostorSums,
  impostorTailsText,
  tailsOf,
} from '../../../src/biometrics/verify-policy/impostor-tails.ts';
import { FVC_DIR } from '../../shared-data.ts';
import { compareLive } from '../extract/dataset.ts';

const root = FVC_DIR;
if (!existsSync(root)) {
  console.error(`dataset not found at ${root}: nothing to measure`);
  process.exit(0);
}
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const modes = { live: [] as number[], ours: [] as number[] };
/** attempts per call the verify policy can plan for (the API's maxAttempts goes to 10) */
const MAX_ATTEMPTS = 10;
const sums = { live: [] as number[][], ours: [] as number[][] };
for (const set of ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B']) {
  const dir = path.join(root, set);
  const list = listImpressions(readdirSync(dir), 'tif');
  const ours = new Map<string, MinutiaeSet>();
  const views = new Map<string, MinutiaeSet[]>();
  const card = new Map<string, MinutiaeSet>();
  for (const imp of list) {
    const image = decodeImage(readFileSync(path.join(dir, `${imp.id}.tif`)), { defaultDpi: fvcSetDpi(dir) });
    card.set(
      imp.id,
      isoTemplateOnImage(decodeIso19794_2(readFileSync(path.join(dir, `${imp.id}.iso`))), image),
    );
    views.set(imp.id, extractLiveViews(image));
    ours.set(imp.id, views.get(imp.id)![0]);
  }
  for (const mode of ['live', 'ours'] as const) {
    const other = mode === 'live' ? card : ours;
    const gen = genuinePairs(list).map((p) => compare(ours.get(p.a.id)!, other.get(p.b.id)!));
    const imp = impostorPairs(list).map((p) => compare(ours.get(p.a.id)!, other.get(p.b.id)!));
    modes[mode].push(...imp);
    const seq = impostorSums(list, (l, c) => compareLive(views.get(l.id)!, other.get(c.id)!), MAX_ATTEMPTS);
    seq.forEach((k, i) => {
      sums[mode][i] = [...(sums[mode][i] ?? []), ...k];
    });
    console.log(
      `${set} ${mode}: EER ${pct(equalErrorRate(gen, imp))}, FNMR@FMR1% ${pct(fnmrAtFmr(gen, imp, 0.01))}, FNMR@FMR0.1% ${pct(fnmrAtFmr(gen, imp, 0.001))}`,
    );
  }
}
for (const [mode, imp] of Object.entries(modes)) {
  const t = [0.01, 0.001, 0.0001].map((f) => thresholdAtFmr(imp, f).toFixed(3));
  console.log(
    `${mode}: ${imp.length} impostor scores; thresholds FMR 1% ${t[0]}, 0.1% ${t[1]}, 0.01% ${t[2]}`,
  );
}
const all = [...modes.live, ...modes.ours];
for (const [name, t] of Object.entries(THRESHOLDS)) {
  const live = modes.live.filter((s) => s >= t).length / modes.live.length;
  const ours = modes.ours.filter((s) => s >= t).length / modes.ours.length;
  console.log(
    `shipped ${name} = ${t}: FMR live ${pct(live)}, ours ${pct(ours)} (${all.filter((s) => s >= t).length} of ${all.length} impostors at or above)`,
  );
}

const tailsFile: ImpostorTailsFile = {
  about:
    'Written by npm run eval:thresholds (test/bench/match/thresholds.ts); read by the verify policy ' +
    '(src/biometrics/verify-policy). Per mode (iso: our extraction vs the .iso template, images: ' +
    'ours on both sides), FVC2002 DB1_B..DB4_B: every card template against every other finger of ' +
    "its set, impressions in rotation from each start, each score the best of the live image's " +
    'views (extract/live-views.ts); sums[k-1] = the highest sums of k consecutive impostor scores, ' +
    'descending, rounded up to 1e-4, out of `sequences`.',
  measured: new Date().toISOString().slice(0, 10),
  modes: Object.fromEntries(
    (['live', 'ours'] as const).map((mode) => [mode === 'live' ? 'iso' : 'images', tailsOf(sums[mode])]),
  ),
};
const tailsPath = path.resolve(
  import.meta.dirname,
  '../../../src/biometrics/verify-policy/impostor-tails.json',
);
writeFileSync(tailsPath, impostorTailsText(tailsFile));
console.log(
  `wrote ${path.relative(process.cwd(), tailsPath)}: ${tailsFile.modes.iso.sequences} impostor sequences per mode, k = 1..${MAX_ATTEMPTS}`,
);
