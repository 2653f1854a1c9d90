import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { ProbeMatcher, preparedFor } from '../../../src/biometrics/match/index.ts';
import { MccMatcher } from '../../../src/biometrics/match/mcc/index.ts';
import { Pairing, type Rigid } from '../../../src/biometrics/match/pairing.ts';
import { MCC_ALIGNED_MAX_TURN } from '../../../src/biometrics/match/params.ts';
import { fuseScores, overlapScore } from '../../../src/biometrics/match/score.ts';
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

// The same pairs at an alignment the matcher did not have to find: the one it found between the
// same two images with both sides extracted alike (ours vs ours, .iso vs .iso; the images share
// their pixel frames, so either maps the card image onto the probe image). The better of the two,
// paired and scored as the matcher would, is what a perfect alignment search could give the
// vendor's card: if that stays under T_1, the loss is in the templates, not in the search.
const alignmentOf = (probe: MinutiaeSet, card: MinutiaeSet): Rigid => {
  const m = new ProbeMatcher(preparedFor(probe));
  return m.houghScore(preparedFor(card)) > 0 ? { ...m.lastAlignment } : { cos: 1, sin: 0, tx: 0, ty: 0 };
};
const atAlignment = (probe: MinutiaeSet, card: MinutiaeSet, t: Rigid) => {
  const P = preparedFor(probe);
  const C = preparedFor(card);
  const pairing = new Pairing(P);
  const ax = t.cos * C.centroidX - t.sin * C.centroidY + t.tx;
  const ay = t.sin * C.centroidX + t.cos * C.centroidY + t.ty;
  const pairs = pairing.pairUp(C, t, ax, ay);
  const h = overlapScore(P, C, pairing.weight, t.cos, t.sin, t.tx, t.ty);
  const mcc = new MccMatcher(P).score(C, t.cos, t.sin, MCC_ALIGNED_MAX_TURN);
  return { pairs, score: fuseScores(h, mcc), h, mcc };
};
console.log(
  '\nour probe against the .iso card at the alignment found between the same images extracted alike',
);
console.log('probe   | from ours vs ours             | from .iso vs .iso');
for (const n of names.filter((x) => x !== cardName)) {
  const probe = ours.get(n)!;
  const cells = [alignmentOf(probe, cards.ours), alignmentOf(iso(n), cards.iso)].map((t) => {
    const r = atAlignment(probe, cards.iso, t);
    return `${f(r.score)} (${String(r.pairs).padStart(2)} pairs, h ${f(r.h)}, mcc ${f(r.mcc)})`;
  });
  console.log(`${n.padEnd(7)} | ${cells.join(' | ')}`);
}
