/**
 * Dev script: EER in both modes for all four FVC2002 "B" sets in one run, with extractions cached so
 * that matcher changes can be measured in seconds. Mode (a): our extraction on both sides. Mode (b):
 * our extraction of the first impression against the commercial .iso template of the second (what
 * `ektp-bridge eval --templates iso` measures).
 * Usage: npx tsx test/bench/extract/both-modes.ts [DB1_B ...] [--cache DIR] (DIR outside the repo;
 * delete it after changing the extractor).
 */
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr } from '../../../src/biometrics/eval/rates.ts';
import { compare } from '../../../src/biometrics/match/index.ts';
import { opt } from '../args.ts';
import { datasetPresent, type FvcSet, oursOfSet, readIsoTemplateLike, SETS } from './dataset.ts';

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}
const args = process.argv.slice(2);
const cacheDir = opt('cache');
const sets = args.filter((a) => a.startsWith('DB')) as FvcSet[];

const ours = (set: FvcSet) => oursOfSet(set, cacheDir);

const total = { a: 0, b: 0 };
for (const set of sets.length ? sets : SETS) {
  const mine = ours(set);
  const iso = new Map([...mine].map(([name, t]) => [name, readIsoTemplateLike(set, name, t)]));
  const list = listImpressions(
    [...mine.keys()].map((n) => `${n}.tif`),
    'tif',
  );
  const gen = genuinePairs(list);
  const imp = impostorPairs(list);
  const line: string[] = [set];
  for (const mode of ['a', 'b'] as const) {
    const cand = mode === 'a' ? mine : iso;
    const g = gen.map((p) => compare(mine.get(p.a.id)!, cand.get(p.b.id)!));
    const i = imp.map((p) => compare(mine.get(p.a.id)!, cand.get(p.b.id)!));
    const eer = 100 * equalErrorRate(g, i);
    total[mode] += eer;
    line.push(
      `(${mode}) EER ${eer.toFixed(2)}% FNMR@1% ${(100 * fnmrAtFmr(g, i, 0.01)).toFixed(2)}% ` +
        `@0.1% ${(100 * fnmrAtFmr(g, i, 0.001)).toFixed(2)}%`,
    );
  }
  console.log(line.join(' | '));
}
console.log(`sum of EER: (a) ${total.a.toFixed(2)} (b) ${total.b.toFixed(2)}`);
