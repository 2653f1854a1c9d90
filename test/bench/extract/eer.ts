/**
 * Dev script: the extractor's effect on accuracy. Extracts every image of each FVC2002 set with our
 * extractor and runs the matcher (src/biometrics/match) over the full FVC protocol (280 genuine,
 * 2,880 impostor pairs): EER and FNMR at FMR 1% per set, next to NBIS's figures from SOURCE.md.
 * Usage: npx tsx test/bench/extract/eer.ts [DB1_B ...]
 */
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { datasetPresent, type FvcSet, imageNames, readFvcImage, SETS } from './dataset.ts';

const NBIS_EER: Record<FvcSet, number> = { DB1_B: 4.17, DB2_B: 2.57, DB3_B: 8.88, DB4_B: 5.4 };

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}
// MATCHER=/path/to/match/index.ts runs against another copy (e.g. a committed snapshot while the
// working tree's matcher is mid-edit).
const { compare } = (await import(process.env.MATCHER ?? '../../../src/biometrics/match/index.ts')) as {
  compare: (a: MinutiaeSet, b: MinutiaeSet) => number;
};
const sets = process.argv.slice(2).filter((a) => a.startsWith('DB')) as FvcSet[];
for (const set of sets.length ? sets : SETS) {
  const templates = new Map<string, MinutiaeSet>();
  for (const name of imageNames(set)) templates.set(name, extractMinutiae(readFvcImage(set, name)));
  const list = listImpressions(
    [...templates.keys()].map((n) => `${n}.tif`),
    'tif',
  );
  const score = (a: string, b: string) => compare(templates.get(a)!, templates.get(b)!);
  const genuine = genuinePairs(list).map((p) => score(p.a.id, p.b.id));
  const impostor = impostorPairs(list).map((p) => score(p.a.id, p.b.id));
  const eer = 100 * equalErrorRate(genuine, impostor);
  console.log(
    `${set}: EER ${eer.toFixed(2)}% (NBIS ${NBIS_EER[set]}%, target <= ${(NBIS_EER[set] / 2).toFixed(2)}%), ` +
      `FNMR@FMR1% ${(100 * fnmrAtFmr(genuine, impostor, 0.01)).toFixed(2)}%, ` +
      `FNMR@FMR0.1% ${(100 * fnmrAtFmr(genuine, impostor, 0.001)).toFixed(2)}%`,
  );
}
