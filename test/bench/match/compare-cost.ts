/**
 * Cost of one full comparison (ProbeMatcher.score, probe structures built once, as in 1:N after the
 * shortlist), genuine and impostor pairs apart, on cached extractions: printed, never asserted.
 * Genuine pairs run every stage (re-fit, elastic re-pairing), most impostors stop after the first
 * pairing, so the two figures say what a matcher change costs verify and 1:N.
 *   npx tsx test/bench/match/compare-cost.ts FILE.json [--rounds 9]
 * FILE: a hard-mix-eer.ts --cache file, or a both-modes.ts --cache DIR/DBx_B.json.
 */
import fs from 'node:fs';
import { loadavg } from 'node:os';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import {
  genuinePairs,
  impostorPairs,
  listImpressions,
  type Pair,
} from '../../../src/biometrics/eval/protocol.ts';
import { median } from '../../../src/biometrics/eval/rates.ts';
import { ProbeMatcher, preparedFor } from '../../../src/biometrics/match/index.ts';
import { numOpt } from '../args.ts';

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('usage: compare-cost.ts FILE.json [--rounds N]');
  process.exit(2);
}
const rounds = numOpt('rounds', 9);
const templates = new Map<string, MinutiaeSet>(JSON.parse(fs.readFileSync(file, 'utf8')));
const list = listImpressions(
  [...templates.keys()].map((id) => `${id}.tif`),
  'tif',
);
for (const t of templates.values()) preparedFor(t);

/** Median over rounds of CPU µs per comparison (the machine may be shared: CPU, not wall time), probe matchers built outside the timed loop. */
function cost(pairs: Pair[]): number {
  const byProbe = new Map<string, MinutiaeSet[]>();
  for (const p of pairs) {
    const l = byProbe.get(p.a.id) ?? [];
    l.push(templates.get(p.b.id)!);
    byProbe.set(p.a.id, l);
  }
  const jobs = [...byProbe].map(([id, cands]) => ({
    m: new ProbeMatcher(preparedFor(templates.get(id)!)),
    cands: cands.map(preparedFor),
  }));
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    for (const { m, cands } of jobs) for (const c of cands) sink += m.score(c);
    const t = process.cpuUsage(t0);
    times.push((t.user + t.system) / pairs.length);
  }
  if (sink < 0) console.log(sink);
  return median(times);
}

const gen = genuinePairs(list);
const imp = impostorPairs(list.filter((i) => i.impression <= 2));
console.log(`${file}: ${templates.size} templates, load average ${loadavg()[0].toFixed(2)}`);
console.log(
  `genuine  ${cost(gen).toFixed(1)} CPU µs per comparison (${gen.length} pairs, median of ${rounds})`,
);
console.log(
  `impostor ${cost(imp).toFixed(1)} CPU µs per comparison (${imp.length} pairs, median of ${rounds})`,
);
