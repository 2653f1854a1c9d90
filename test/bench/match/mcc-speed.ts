/**
 * MCC cost before and after the exact-output speed work (issue 12 item 4), side by side in one run
 * so that the machine's load hits both alike: the straightforward reference
 * (test/unit/biometrics/match/mcc-reference/, main at d0f5a0a) against src/biometrics/match/mcc/, in
 * interleaved rounds, CPU time (process.cpuUsage), medians printed, never asserted. Scores are
 * checked equal on the way (mcc-exact.ts checks them all).
 *   npx tsx test/bench/match/mcc-speed.ts FILE.json [--rounds 7]
 * FILE: a hard-mix-eer.ts --cache file, or a both-modes.ts --cache DIR/DBx_B.json.
 * Prints, per implementation: cylinders built per template (ms); MCC per comparison (µs) without a
 * known turn (the Hough stage found no alignment: most impostors) and with the Hough turn (δθ 30°,
 * as the fused score calls it when the Hough score is above 0), over every genuine pair and the
 * impostor pairs of impressions 1-2, probe structures made outside the timed loop as in 1:N; and
 * the MCC work of one verify: a live template's cylinders (prepared afresh, nothing cached) and its
 * comparison with two card templates (the set's first two, cylinders cached as for a read card),
 * every template of the set in turn as the live one, with δθ 30° about no turn.
 */
import fs from 'node:fs';
import { loadavg } from 'node:os';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { median } from '../../../src/biometrics/eval/rates.ts';
import { ProbeMatcher, preparedFor, prepareTemplate } from '../../../src/biometrics/match/index.ts';
import { buildCylinders, cylindersFor, MccMatcher } from '../../../src/biometrics/match/mcc/index.ts';
import { MCC_ALIGNED_MAX_TURN, MCC_MAX_ROTATION } from '../../../src/biometrics/match/params.ts';
import type { PreparedTemplate } from '../../../src/biometrics/match/prepare.ts';
import { Consolidation as RefConsolidation } from '../../unit/biometrics/match/mcc-reference/consolidation.ts';
import {
  type Cylinders as RefCylinders,
  buildCylinders as refBuild,
} from '../../unit/biometrics/match/mcc-reference/cylinders.ts';
import { localSimilarities as refLsm } from '../../unit/biometrics/match/mcc-reference/local-similarity.ts';
import { numOpt } from '../args.ts';

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('usage: mcc-speed.ts FILE.json [--rounds N]');
  process.exit(2);
}
const rounds = numOpt('rounds', 7);
const templates = new Map<string, MinutiaeSet>(JSON.parse(fs.readFileSync(file, 'utf8')));
const list = listImpressions(
  [...templates.keys()].map((id) => `${id}.tif`),
  'tif',
);
const prepared = [...templates.values()].map(preparedFor);
const refCylinders = new Map<PreparedTemplate, RefCylinders>(prepared.map((t) => [t, refBuild(t)]));

/** The reference's MccMatcher, with its buffers reused as the shipped one does (a fair race). */
class RefMatcher {
  private lsm: Float64Array = new Float64Array(0);
  private readonly consolidation = new RefConsolidation();
  private readonly pc: RefCylinders;
  constructor(private readonly p: PreparedTemplate) {
    this.pc = refCylinders.get(p)!;
  }
  score(c: PreparedTemplate, cosR: number, sinR: number, maxTurn: number): number {
    const cc = refCylinders.get(c)!;
    if (this.pc.count === 0 || cc.count === 0) return 0;
    this.lsm = refLsm(this.pc, cc, this.lsm, cosR, sinR, Math.cos(maxTurn));
    return Math.min(1, this.consolidation.score(this.p, this.pc, c, cc, this.lsm));
  }
}

type Job = { p: PreparedTemplate; c: PreparedTemplate; cos: number; sin: number };
const jobs: Job[] = [];
for (const { a, b } of [...genuinePairs(list), ...impostorPairs(list.filter((i) => i.impression <= 2))]) {
  const p = preparedFor(templates.get(a.id)!);
  const c = preparedFor(templates.get(b.id)!);
  const m = new ProbeMatcher(p);
  const h = m.houghScore(c);
  // pairs the Hough stage could not align keep no turn: the aligned figure runs them unturned
  jobs.push(h > 0 ? { p, c, cos: m.lastAlignment.cos, sin: m.lastAlignment.sin } : { p, c, cos: 1, sin: 0 });
}
for (const t of prepared) cylindersFor(t);

type Scorer = { score(c: PreparedTemplate, cos: number, sin: number, maxTurn: number): number };
function perComparison(make: (p: PreparedTemplate) => Scorer, aligned: boolean, out: number[]): number {
  const matchers = new Map<PreparedTemplate, Scorer>();
  for (const j of jobs) if (!matchers.has(j.p)) matchers.set(j.p, make(j.p));
  let sink = 0;
  const t0 = process.cpuUsage();
  for (const j of jobs) {
    const m = matchers.get(j.p)!;
    sink += aligned ? m.score(j.c, j.cos, j.sin, MCC_ALIGNED_MAX_TURN) : m.score(j.c, 1, 0, MCC_MAX_ROTATION);
  }
  const t = process.cpuUsage(t0);
  out.push((t.user + t.system) / jobs.length);
  return sink;
}
function perBuild(build: (t: PreparedTemplate) => unknown, out: number[]): void {
  const t0 = process.cpuUsage();
  for (const t of prepared) build(t);
  const t = process.cpuUsage(t0);
  out.push((t.user + t.system) / prepared.length / 1000);
}

const cards = prepared.slice(0, 2);
/** ms of CPU per verify: fresh prepared live templates, so their cylinders are built in the loop */
function perVerify(score: (live: PreparedTemplate) => number, out: number[]): number {
  const lives = [...templates.values()].map(prepareTemplate);
  let sink = 0;
  const t0 = process.cpuUsage();
  for (const live of lives) sink += score(live);
  const t = process.cpuUsage(t0);
  out.push((t.user + t.system) / lives.length / 1000);
  return sink;
}
function refVerify(live: PreparedTemplate): number {
  refCylinders.set(live, refBuild(live));
  const m = new RefMatcher(live);
  return cards.reduce((s, c) => s + m.score(c, 1, 0, MCC_ALIGNED_MAX_TURN), 0);
}
function newVerify(live: PreparedTemplate): number {
  const m = new MccMatcher(live);
  return cards.reduce((s, c) => s + m.score(c, 1, 0, MCC_ALIGNED_MAX_TURN), 0);
}

const fig = {
  ref: { build: [] as number[], unaligned: [] as number[], aligned: [] as number[], verify: [] as number[] },
  new: { build: [] as number[], unaligned: [] as number[], aligned: [] as number[], verify: [] as number[] },
};
for (let r = 0; r < rounds; r++) {
  perBuild(refBuild, fig.ref.build);
  perBuild(buildCylinders, fig.new.build);
  const su = perComparison((p) => new RefMatcher(p), false, fig.ref.unaligned);
  const sun = perComparison((p) => new MccMatcher(p), false, fig.new.unaligned);
  const sa = perComparison((p) => new RefMatcher(p), true, fig.ref.aligned);
  const san = perComparison((p) => new MccMatcher(p), true, fig.new.aligned);
  const sv = perVerify(refVerify, fig.ref.verify);
  const svn = perVerify(newVerify, fig.new.verify);
  if (su !== sun || sa !== san || sv !== svn)
    throw new Error('the optimised MCC scores differ from the reference');
}
console.log(
  `${file}: ${prepared.length} templates, ${jobs.length} comparisons, load average ${loadavg()[0].toFixed(2)}, median of ${rounds} interleaved rounds, CPU time`,
);
const row = (label: string, k: 'build' | 'unaligned' | 'aligned' | 'verify', unit: string, digits: number) =>
  console.log(
    `${label.padEnd(44)} reference ${median(fig.ref[k]).toFixed(digits)} ${unit}, optimised ${median(fig.new[k]).toFixed(digits)} ${unit} (${(median(fig.ref[k]) / median(fig.new[k])).toFixed(2)}x faster)`,
  );
row('cylinders, per template', 'build', 'ms', 3);
row('MCC per comparison, no known turn', 'unaligned', 'µs', 1);
row('MCC per comparison, Hough turn (δθ 30°)', 'aligned', 'µs', 1);
row('MCC of one verify (live cylinders + 2 cards)', 'verify', 'ms', 3);
