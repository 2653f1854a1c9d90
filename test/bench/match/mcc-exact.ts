/**
 * Checks, on cached extractions of whole sets, that the optimised MCC code gives exactly the scores
 * of the straightforward reference (test/unit/biometrics/match/mcc-reference/, main at d0f5a0a):
 * every genuine pair and the impostor pairs of impressions 1-2, fused score as the daemon computes
 * it and the MCC score alone without a known turn. Prints how many scores differ (must be 0) and
 * exits 1 if any does.
 *   npx tsx test/bench/match/mcc-exact.ts FILE.json [FILE.json ...]
 * FILE: a hard-mix-eer.ts --cache file, or a both-modes.ts --cache DIR/DBx_B.json.
 */
import fs from 'node:fs';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { ProbeMatcher, preparedFor } from '../../../src/biometrics/match/index.ts';
import { MccMatcher } from '../../../src/biometrics/match/mcc/index.ts';
import { MCC_ALIGNED_MAX_TURN } from '../../../src/biometrics/match/params.ts';
import { fuseScores } from '../../../src/biometrics/match/score.ts';
import { referenceMccScore } from '../../unit/biometrics/match/mcc-reference/index.ts';

const files = process.argv.slice(2);
if (files.length === 0 || !files.every((f) => fs.existsSync(f))) {
  console.error('usage: mcc-exact.ts FILE.json [FILE.json ...]');
  process.exit(2);
}
let differing = 0;
for (const file of files) {
  const templates = new Map<string, MinutiaeSet>(JSON.parse(fs.readFileSync(file, 'utf8')));
  const list = listImpressions(
    [...templates.keys()].map((id) => `${id}.tif`),
    'tif',
  );
  const pairs = [...genuinePairs(list), ...impostorPairs(list.filter((i) => i.impression <= 2))];
  let checked = 0;
  let worst = 0;
  let bad = 0;
  for (const { a, b } of pairs) {
    const p = preparedFor(templates.get(a.id)!);
    const c = preparedFor(templates.get(b.id)!);
    const matcher = new ProbeMatcher(p);
    const h = matcher.houghScore(c);
    const t = matcher.lastAlignment;
    const ref = fuseScores(
      h,
      h > 0 ? referenceMccScore(p, c, t.cos, t.sin, MCC_ALIGNED_MAX_TURN) : referenceMccScore(p, c),
    );
    for (const [got, want] of [
      [matcher.score(c), ref],
      [new MccMatcher(p).score(c), referenceMccScore(p, c)],
    ]) {
      checked++;
      if (got !== want) bad++;
      worst = Math.max(worst, Math.abs(got - want));
    }
  }
  differing += bad;
  console.log(`${file}: ${checked} scores, ${bad} differ from the reference (largest difference ${worst})`);
}
process.exit(differing === 0 ? 0 : 1);
