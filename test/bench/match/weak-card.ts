import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { ProbeMatcher, preparedFor } from '../../../src/biometrics/match/index.ts';
import { opt } from '../args.ts';
import {
  datasetPresent,
  type FvcSet,
  imageNames,
  readFvcImage,
  readIsoTemplateLike,
} from '../extract/dataset.ts';

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to diagnose');
  process.exit(0);
}
const [set, finger] = process.argv.slice(2) as [FvcSet, string];
const cardImpression = opt('card') ?? '1';
if (!set || !finger) {
  console.error('usage: npx tsx test/bench/match/weak-card.ts DB3_B 105 [--card 1]');
  process.exit(2);
}
const names = imageNames(set).filter((n) => n.startsWith(`${finger}_`));
const ours = new Map(names.map((n) => [n, extractMinutiae(readFvcImage(set, n)) as MinutiaeSet]));
const iso = (n: string): MinutiaeSet => readIsoTemplateLike(set, n, ours.get(n)!);
const cardName = `${finger}_${cardImpression}`;
const cards = { ours: ours.get(cardName)!, iso: iso(cardName) };
const f = (x: number) => x.toFixed(3);
const parts = (probe: MinutiaeSet, card: MinutiaeSet) => {
  const r = new ProbeMatcher(preparedFor(probe)).scoreParts(preparedFor(card));
  return `${f(r.score)} (h ${f(r.hough)}, mcc ${f(r.mcc)})`;
};
console.log(
  `${set} card ${cardName}: ${cards.ours.minutiae.length} minutiae ours, ${cards.iso.minutiae.length} in the .iso record`,
);
console.log('probe   | ours vs ours card        | ours vs .iso card        | .iso vs .iso card');
for (const n of names.filter((x) => x !== cardName)) {
  const probe = ours.get(n)!;
  console.log(
    `${n.padEnd(7)} | ${parts(probe, cards.ours)} | ${parts(probe, cards.iso)} | ${parts(iso(n), cards.iso)}`,
  );
}
