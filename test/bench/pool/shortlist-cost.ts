/**
 * Where one shortlisted 1:N search spends its CPU, in-process on one thread, printed, never
 * asserted: probe setup (prepare, matcher, voter), ranking the gallery through the inverted indexes
 * (one per 1,024 entries, as the pool keeps them), choosing the shortlist, and the full comparisons
 * of the 5 %. Gallery: the 320 FVC2002 .iso templates repeated, as `npm run bench:identify` without
 * --set. The first 10 searches warm up and are not counted.
 *   npx tsx test/bench/pool/shortlist-cost.ts [--gallery 10000] [--rounds 60]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { ProbeMatcher, prepareTemplate } from '../../../src/biometrics/match/index.ts';
import { rankFeatures, ShortlistVoter } from '../../../src/biometrics/match/shortlist.ts';
import {
  fillRankIndex,
  type RankIndex,
  rankIndexBytes,
} from '../../../src/biometrics/match/shortlist-index.ts';
import { RANK_SHARD_SIZE } from '../../../src/biometrics/pool/rank-shards.ts';
import { selectShortlist, shortlistSize } from '../../../src/biometrics/pool/shortlist-plan.ts';
import { FVC_DIR } from '../../shared-data.ts';
import { numOpt } from '../args.ts';

if (!existsSync(FVC_DIR)) {
  console.error(`dataset not found at ${FVC_DIR}: nothing to measure`);
  process.exit(0);
}
const templates: MinutiaeSet[] = [];
for (const set of ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B']) {
  const dir = path.join(FVC_DIR, set);
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.iso'))
    .sort())
    templates.push(decodeIso19794_2(new Uint8Array(readFileSync(path.join(dir, f)))));
}
const size = numOpt('gallery', 10000);
const keep = shortlistSize(size, 0.05, 200);
const gallery = Array.from({ length: size }, (_, i) => templates[i % templates.length]);
const prepared = gallery.map(prepareTemplate);
const features = prepared.map(rankFeatures);
const shards: { from: number; to: number; index: RankIndex }[] = [];
for (let from = 0; from < size; from += RANK_SHARD_SIZE) {
  const part = features.slice(from, from + RANK_SHARD_SIZE);
  const bytes = rankIndexBytes(part.reduce((a, f) => a + f.length / 4, 0));
  const index = {
    start: new Int32Array(bytes.start / 4),
    entry: new Uint16Array(bytes.entry / 2),
    absQ: new Uint8Array(bytes.absQ),
    mid: new Float32Array(bytes.mid / 4),
  };
  fillRankIndex(part, index);
  shards.push({ from, to: from + part.length, index });
}
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const probes = Array.from(
  { length: numOpt('rounds', 60) },
  (_, r) => templates[(r * 13 + 2) % templates.length],
);
const t = [0, 0, 0, 0];
const rank = new Int32Array(size);
/** kept, so that the comparisons are not optimised away */
let sink = 0;
for (const [k, probe] of probes.entries()) {
  let t0 = cpu();
  const m = new ProbeMatcher(prepareTemplate(probe));
  const v = new ShortlistVoter(m.probe);
  let t1 = cpu();
  if (k >= 10) t[0] += t1 - t0;
  t0 = t1;
  for (const s of shards) v.rankIndexed(s.index, s.to - s.from, rank, s.from);
  t1 = cpu();
  if (k >= 10) t[1] += t1 - t0;
  t0 = t1;
  const chosen = selectShortlist(rank, size, keep);
  t1 = cpu();
  if (k >= 10) t[2] += t1 - t0;
  t0 = t1;
  for (let i = 0; i < size; i++) if (chosen[i]) sink += m.score(prepared[i]);
  t1 = cpu();
  if (k >= 10) t[3] += t1 - t0;
}
const n = probes.length - 10;
const total = t.reduce((a, b) => a + b, 0) / n;
console.log(
  `FVC gallery ${size}, per search CPU ms: setup ${(t[0] / n).toFixed(2)} rank ${(t[1] / n).toFixed(2)} select ${(t[2] / n).toFixed(2)} compare ${keep} ${(t[3] / n).toFixed(2)} => ${Math.round((size / total) * 1000)} per CPU-second with one thread [${sink > 0}]`,
);
