/**
 * Dev script: the Hough score (SCORE_MODE 'hough'), the Minutia Cylinder-Code score and their fusions,
 * side by side, on the FVC2002 B sets in both modes (as both-modes.ts) and on a hard-mix folder (as
 * hard-mix-eer.ts, FVC protocol for impostors unless --all). Both raw scores of every pair are computed
 * once and cached (--scores FILE), so fusion rules are compared in seconds.
 *
 *   npx tsx test/bench/match/mcc-fusion.ts --cache DIR --hard HARDDIR --hard-cache FILE [--all]
 *     [--real REALDIR --real-cache FILE] [--scores FILE]
 * Prints EER / FNMR@FMR1% / FNMR@FMR0.1% per set and rule, the sums, and the MCC cost per comparison.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import {
  genuinePairs,
  impostorPairs,
  listImpressions,
  type Pair,
} from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { type PreparedTemplate, ProbeMatcher, preparedFor } from '../../../src/biometrics/match/index.ts';
import { MccMatcher } from '../../../src/biometrics/match/mcc/index.ts';
import { MCC_ALIGNED_MAX_TURN, MCC_MAX_ROTATION } from '../../../src/biometrics/match/params.ts';
import { fuseScores } from '../../../src/biometrics/match/score.ts';
import { opt } from '../args.ts';
import { datasetPresent, readIsoTemplateLike, SETS } from '../extract/dataset.ts';

const args = process.argv.slice(2);

interface Scored {
  name: string;
  gen: [number[], number[]]; // [hough, mcc]
  imp: [number[], number[]];
}

let mccTime = 0;
let mccCount = 0;

function scorePairs(
  probe: Map<string, MinutiaeSet>,
  cand: Map<string, MinutiaeSet>,
  pairs: Pair[],
): [number[], number[]] {
  const hough: number[] = [];
  const mcc: number[] = [];
  const byProbe = new Map<string, Pair[]>();
  for (const p of pairs) byProbe.set(p.a.id, [...(byProbe.get(p.a.id) ?? []), p]);
  const out = new Map<Pair, [number, number]>();
  for (const [id, list] of byProbe) {
    const pt = preparedFor(probe.get(id)!);
    const hm = new ProbeMatcher(pt);
    const mm = new MccMatcher(pt);
    for (const p of list) {
      const ct: PreparedTemplate = preparedFor(cand.get(p.b.id)!);
      const h = hm.houghScore(ct);
      // MCC's δθ relative to the Hough stage's turn, as the fused score does (no turn when h is 0)
      const { cos, sin } = h > 0 ? hm.lastAlignment : { cos: 1, sin: 0 };
      const turn = h > 0 ? MCC_ALIGNED_MAX_TURN : MCC_MAX_ROTATION;
      mm.score(ct, cos, sin, turn); // cylinders built outside the timing, as the cache does for a card or gallery entry
      const t0 = performance.now();
      const m = mm.score(ct, cos, sin, turn);
      mccTime += performance.now() - t0;
      mccCount++;
      out.set(p, [h, m]);
    }
  }
  for (const p of pairs) {
    const [h, m] = out.get(p)!;
    hough.push(h);
    mcc.push(m);
  }
  return [hough, mcc];
}

function folderSet(name: string, dir: string, cacheFile: string | undefined, all: boolean): Scored {
  const list = listImpressions(fs.readdirSync(dir), 'tif');
  let templates: Map<string, MinutiaeSet>;
  if (cacheFile && fs.existsSync(cacheFile))
    templates = new Map(JSON.parse(fs.readFileSync(cacheFile, 'utf8')));
  else {
    templates = new Map();
    for (const imp of list) {
      const t = extractMinutiae(
        decodeImage(fs.readFileSync(path.join(dir, `${imp.id}.tif`)), { defaultDpi: 500 }),
      );
      templates.set(imp.id, { ...t, minutiae: t.minutiae.map((m) => ({ ...m })) });
    }
    if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify([...templates]));
  }
  const imp = all ? impostorPairs(list) : impostorPairs(list.filter((i) => i.impression === 1));
  return {
    name,
    gen: scorePairs(templates, templates, genuinePairs(list)),
    imp: scorePairs(templates, templates, imp),
  };
}

function fvcSets(cacheDir: string): Scored[] {
  const out: Scored[] = [];
  for (const set of SETS) {
    const mine = new Map<string, MinutiaeSet>(
      JSON.parse(fs.readFileSync(path.join(cacheDir, `${set}.json`), 'utf8')),
    );
    const iso = new Map([...mine].map(([name, t]) => [name, readIsoTemplateLike(set, name, t)]));
    const list = listImpressions(
      [...mine.keys()].map((n) => `${n}.tif`),
      'tif',
    );
    for (const mode of ['a', 'b'] as const) {
      const cand = mode === 'a' ? mine : iso;
      out.push({
        name: `${set}(${mode})`,
        gen: scorePairs(mine, cand, genuinePairs(list)),
        imp: scorePairs(mine, cand, impostorPairs(list)),
      });
    }
  }
  return out;
}

const scoresFile = opt('scores');
let scored: Scored[];
if (scoresFile && fs.existsSync(scoresFile)) scored = JSON.parse(fs.readFileSync(scoresFile, 'utf8'));
else {
  scored = [];
  const cacheDir = opt('cache');
  if (cacheDir && datasetPresent()) scored.push(...fvcSets(cacheDir));
  const hard = opt('hard');
  if (hard) scored.push(folderSet('hard-mix', hard, opt('hard-cache'), args.includes('--all')));
  const real = opt('real');
  if (real) scored.push(folderSet('real-hard', real, opt('real-cache'), args.includes('--all')));
  if (scoresFile) fs.writeFileSync(scoresFile, JSON.stringify(scored));
  console.log(
    `MCC comparison (cylinders cached): ${((1000 * mccTime) / mccCount).toFixed(1)} µs mean over ${mccCount}`,
  );
}

/** Fusion rules: each maps (hough, mcc) to one score. */
const rules: Record<string, (h: number, m: number) => number> = {
  hough: (h) => h,
  mcc: (_h, m) => m,
  'mean 0.5': (h, m) => 0.5 * h + 0.5 * m,
  'mean 0.7h': (h, m) => 0.7 * h + 0.3 * m,
  'mean 0.3h': (h, m) => 0.3 * h + 0.7 * m,
  'geo mean': (h, m) => Math.sqrt(h * m),
  'geo, floor': (h, m) => fuseScores(h, m),
  max: (h, m) => Math.max(h, m),
};
const pct = (x: number) => (100 * x).toFixed(2).padStart(6);
for (const [rule, f] of Object.entries(rules)) {
  let sumA = 0;
  let sumB = 0;
  const cells: string[] = [];
  for (const s of scored) {
    const g = s.gen[0].map((h, k) => f(h, s.gen[1][k]));
    const i = s.imp[0].map((h, k) => f(h, s.imp[1][k]));
    const eer = equalErrorRate(g, i);
    if (s.name.endsWith('(a)')) sumA += 100 * eer;
    else if (s.name.endsWith('(b)')) sumB += 100 * eer;
    cells.push(`${s.name} ${pct(eer)} ${pct(fnmrAtFmr(g, i, 0.01))} ${pct(fnmrAtFmr(g, i, 0.001))}`);
  }
  console.log(
    `${rule.padEnd(10)} sum(a) ${sumA.toFixed(2)} sum(b) ${sumB.toFixed(2)} | ${cells.join(' | ')}`,
  );
}
