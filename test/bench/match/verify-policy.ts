/**
 * The verify policy over whole calls (issue 10), both ways of combining attempts at the same per-call
 * budget, on the four FVC2002 "B" sets in both modes, with the transaction protocol of `eval`
 * (src/biometrics/eval/transactions.ts):
 *   sum  = verify.combine "sum": per card finger, the sum of the attempt scores so far against the
 *          measured impostor k-sum threshold of stage k;
 *   best = verify.combine "best" (the daemon's default): any single comparison against one stricter
 *          per-comparison threshold, targetFmr / (maxAttempts * fingers) read off the same tails (k = 1).
 * Both spend targetFmr / (maxAttempts * 2) per stage and card finger. Prints false rejects / false
 * accepts per cell and pooled, for several maxAttempts; then, at the default call (best, 3 attempts),
 * per claim: a failed call followed by the other finger (the claim screen's "try the other finger").
 * With --all-cards, every impression takes its turn as the card (impression numbers rotated so
 * that it is "1"): 8 times the calls of the eval protocol, a finer (still in-sample) figure.
 * --scale m multiplies both rules' per-stage budget by m (not the daemon's policy: to compare the two
 * rules at equal achieved false-match rates, i.e. along their ROC curves).
 * --dir FOLDER (repeatable) measures FVC-layout folders of TIFFs instead, ours on both sides (no .iso),
 * e.g. the real-hard sets (test/bench/synth/real-hard.ts): out of sample for the tails, which come
 * from FVC2002. With --cache DIR the live views of every image (extract/live-views.ts) are kept as
 * DIR/<set or folder name>.views.json; each attempt scores its best view, as finger.verify does.
 * --one-view scores the first live view alone, as the daemon did before the live views (pair it with
 * --fresh-tails: the shipped tails are measured with every view).
 * With --all-cards each cell's all-ordered-pairs EER of these scores is printed too.
 * --fresh-tails takes the impostor tails from this run's own scores (every impression as the card,
 * the same sequences eval:thresholds measures) instead of the shipped impostor-tails.json: a
 * matcher change (params.ts) is then measured per call in one run, without rewriting the file.
 *   npm run eval:policy [-- --cache DIR] [--target 0.001] [--all-cards] [--scale m] [--fresh-tails] [--one-view]
 *                       [--dir FOLDER ...]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { type Impression, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate } from '../../../src/biometrics/eval/rates.ts';
import {
  runClaims,
  runTransactions,
  verifyCalls,
  verifyClaims,
} from '../../../src/biometrics/eval/transactions.ts';
import { extractLiveViews } from '../../../src/biometrics/extract/live-views.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import {
  type ImpostorTails,
  type ImpostorTailsFile,
  impostorSums,
  loadImpostorTails,
  tailsOf,
} from '../../../src/biometrics/verify-policy/impostor-tails.ts';
import { planVerify } from '../../../src/biometrics/verify-policy/index.ts';
import { flag, numOpt, opt } from '../args.ts';
import {
  cachedExtraction,
  compareLive,
  datasetPresent,
  liveViewsOfSet,
  readIsoTemplateLike,
  SETS,
} from '../extract/dataset.ts';

const args = process.argv.slice(2);
const dirs = args.flatMap((a, i) => (a === '--dir' ? [args[i + 1]] : []));
if (!dirs.length && !datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}
const cacheDir = opt('cache');
const target = numOpt('target', 0.001);
const allCards = flag('all-cards');
const freshTails = flag('fresh-tails');
const oneView = flag('one-view');
/** An attempt's score against a card template: its best live view's, or with --one-view its first's. */
const attemptScore = (views: MinutiaeSet[], card: MinutiaeSet) =>
  compareLive(oneView ? views.slice(0, 1) : views, card);
const scale = numOpt('scale', 1);
/** most attempts a row below plans for */
const MAX_ATTEMPTS = 10;

/**
 * A folder of <finger>_<impression>.tif (resolution from the files, else 500 dpi): the live views of
 * each image, extracted once (the first view is the card's template in images mode).
 */
function viewsInFolder(dir: string): Map<string, MinutiaeSet[]> {
  return cachedExtraction(
    cacheDir,
    `${path.basename(dir)}.views`,
    () =>
      new Map(
        listImpressions(fs.readdirSync(dir), 'tif').map((i) => [
          i.id,
          extractLiveViews(decodeImage(fs.readFileSync(path.join(dir, `${i.id}.tif`)), { defaultDpi: 500 })),
        ]),
      ),
  );
}

type Scores = Map<string, number>;
const cells: { set: string; mode: string; list: ReturnType<typeof listImpressions>; scores: Scores }[] = [];
// Each score is an attempt's as finger.verify takes it: the live image's best view (attemptScore)
// against the card, whose template is our first view (images) or the .iso record.
for (const dir of dirs) {
  const mine = viewsInFolder(dir);
  const list = listImpressions(
    [...mine.keys()].map((n) => `${n}.tif`),
    'tif',
  );
  const scores: Scores = new Map();
  for (const card of allCards || freshTails ? list : list.filter((i) => i.impression === 1)) {
    for (const live of list)
      scores.set(`${live.id}:${card.id}`, attemptScore(mine.get(live.id)!, mine.get(card.id)![0]));
  }
  cells.push({ set: path.basename(dir), mode: 'images', list, scores });
}
for (const set of dirs.length ? [] : SETS) {
  const mine = liveViewsOfSet(set, cacheDir);
  const list = listImpressions(
    [...mine.keys()].map((n) => `${n}.tif`),
    'tif',
  );
  for (const mode of ['images', 'iso']) {
    const scores: Scores = new Map();
    for (const card of allCards || freshTails ? list : list.filter((i) => i.impression === 1)) {
      const t = mine.get(card.id)![0];
      const candidate = mode === 'iso' ? readIsoTemplateLike(set, card.id, t) : t;
      for (const live of list)
        scores.set(`${live.id}:${card.id}`, attemptScore(mine.get(live.id)!, candidate));
    }
    cells.push({ set, mode, list, scores });
  }
}

/** The tails as eval:thresholds would write them for this matcher, from the scores above. */
function tailsFromScores(): ImpostorTailsFile {
  const modes: Record<string, ImpostorTails> = {};
  for (const mode of new Set(cells.map((c) => c.mode))) {
    const sums: number[][] = Array.from({ length: MAX_ATTEMPTS }, () => []);
    for (const c of cells.filter((x) => x.mode === mode)) {
      impostorSums(c.list, (l, k) => c.scores.get(`${l.id}:${k.id}`)!, MAX_ATTEMPTS).forEach((k, i) => {
        for (const v of k) sums[i].push(v);
      });
    }
    modes[mode] = tailsOf(sums);
  }
  return { about: 'this run', measured: 'this run', modes };
}
const tails = freshTails ? tailsFromScores() : loadImpostorTails();

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
type Cell = (typeof cells)[number];
/**
 * The cell's impressions once per card: impression 1 only, or with --all-cards each impression in
 * turn, renumbered so that it is 1 and the others follow in order.
 */
function cardTurns(c: Cell): Impression[][] {
  const turns = allCards ? [...new Set(c.list.map((i) => i.impression))] : [1];
  const n = turns.length;
  return turns.map((first) =>
    c.list.map((i) => ({ ...i, impression: ((i.impression - first + n) % n) + 1 })),
  );
}
/** Each cell's false rejects / false accepts, then the pooled rates. */
function tally(
  results: { genuine: number; impostor: number; falseRejects: number; falseAccepts: number }[],
): string {
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((n, r) => n + f(r), 0);
  const [g, i, fr, fa] = [
    sum((r) => r.genuine),
    sum((r) => r.impostor),
    sum((r) => r.falseRejects),
    sum((r) => r.falseAccepts),
  ];
  const cellsRow = results.map((r) => `${r.falseRejects}/${r.falseAccepts}`).join(' ');
  return `${cellsRow}  pooled FNMR ${pct(fr / g)} (${fr}/${g}) FMR ${pct(fa / i)} (${fa}/${i})`;
}

/** One attempt's scores against the card's fingers, from the cell's scores. */
const attemptIn = (c: Cell) => (live: Impression, card: readonly Impression[]) => ({
  scores: card.map((k) => c.scores.get(`${live.id}:${k.id}`)!),
});
console.log(
  `target FMR per call ${target}${scale === 1 ? '' : `, budget x ${scale}`}; tails measured ${tails.measured}; cells: FR/FA per ${dirs.length ? `folder (${cells.map((c) => c.set).join(', ')}), images` : 'set, images then iso'}`,
);
for (const maxAttempts of [1, 2, 3, 5, MAX_ATTEMPTS]) {
  // both rules through the daemon's own planVerify / decideAttempt
  for (const combine of ['sum', 'best'] as const) {
    const p = planVerify({ targetFmr: target * scale, maxAttempts, fingers: 2, combine }, tails);
    const results = cells.map((c) =>
      runTransactions(
        cardTurns(c).flatMap((list) => verifyCalls(list, maxAttempts)),
        p,
        attemptIn(c),
      ),
    );
    const t = tally(results.map((r) => ({ ...r, ...r.transactions })));
    const matched = results.reduce((n, r) => n + r.transactions.genuine - r.falseRejects, 0);
    const attempts = results.reduce(
      (n, r) => n + r.meanGenuineAttempts * (r.transactions.genuine - r.falseRejects),
      0,
    );
    console.log(
      `A=${String(maxAttempts).padEnd(2)} ${combine.padEnd(4)} T=${p.stageThresholds
        .slice(0, 3)
        .map((x) => x.toFixed(3))
        .join('/')}${maxAttempts > 3 ? '/..' : ''}  ${t} attempts ${(attempts / matched).toFixed(2)}`,
    );
  }
}

// Claims at the default call: a failed call, then the person's other finger (transactions.ts).
{
  const p = planVerify({ targetFmr: target * scale, maxAttempts: 3, fingers: 2, combine: 'best' }, tails);
  const results = cells.map((c) =>
    runClaims(
      cardTurns(c).flatMap((list) => verifyClaims(list, 3)),
      p,
      attemptIn(c),
    ),
  );
  console.log(
    `claims, A=3 best, other finger after a failed call  ${tally(results.map((r) => ({ ...r, ...r.claims })))}`,
  );
}

// With every card, all ordered pairs are scored: each cell's EER over them, as a second figure.
if (allCards) {
  const eers = cells.map((c) => {
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (const live of c.list)
      for (const card of c.list) {
        if (live.id === card.id) continue;
        (live.finger === card.finger ? genuine : impostor).push(c.scores.get(`${live.id}:${card.id}`)!);
      }
    return `${c.set}${dirs.length ? '' : ` ${c.mode}`} ${pct(equalErrorRate(genuine, impostor))}`;
  });
  console.log(`EER over all ordered pairs${oneView ? ' (first view only)' : ''}: ${eers.join(', ')}`);
}
