/**
 * The 1:N shortlist stage in-process, on one thread, printed, never asserted: CPU per gallery entry of
 * the ranking pass and of the full comparison, and where each probe's mate lands in the ranking
 * (its position among the entries ranked above it and half of those tied with it: the expected
 * position under selectShortlist's cut, which breaks ties by gallery order), so that the shortlist
 * size can be chosen from recall rather than guessed.
 * Probes whose mate ranked CHECK_FROM or lower are also searched exhaustively, to tell the losses a
 * shortlist would cause from probes the full comparison misses anyway.
 *   npx tsx test/bench/pool/shortlist-recall.ts [--set /tmp/ektp-identify-set.jsonl] [--gallery 10000]
 *       [--probes 200] [--shard 1024] [--check-from 25]
 */
import { ProbeMatcher, prepareTemplate } from '../../../src/biometrics/match/index.ts';
import { rankFeatures, ShortlistVoter } from '../../../src/biometrics/match/shortlist.ts';
import {
  fillRankIndex,
  type RankIndex,
  rankIndexBytes,
} from '../../../src/biometrics/match/shortlist-index.ts';
import { numOpt, opt } from '../args.ts';
import { readIdentifySet } from './identify-set.ts';

const file = opt('set') ?? '/tmp/ektp-identify-set.jsonl';
const size = numOpt('gallery', 10000);
const set = readIdentifySet(file, size, numOpt('probes', 200));
if (!set) {
  console.error(`no identify set in ${file}: make one with test/bench/pool/identify-set.ts`);
  process.exit(2);
}
const prepared = set.gallery.map(prepareTemplate);
const features = prepared.map(rankFeatures);
/** the pool's layout: one inverted index per run of SHARD entries */
const SHARD = numOpt('shard', 1024);
const shards: { from: number; to: number; index: RankIndex }[] = [];
for (let from = 0; from < size; from += SHARD) {
  const part = features.slice(from, from + SHARD);
  const bytes = rankIndexBytes(part.reduce((a, f) => a + f.length / 4, 0));
  const index: RankIndex = {
    start: new Int32Array(bytes.start / 4),
    entry: new Uint16Array(bytes.entry / 2),
    absQ: new Uint8Array(bytes.absQ),
    mid: new Float32Array(bytes.mid / 4),
  };
  fillRankIndex(part, index);
  shards.push({ from, to: from + part.length, index });
}
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const positions: number[] = [];
/** probes whose mate ranked at least this low are also searched exhaustively: does the matcher get them? */
const CHECK_FROM = numOpt('check-from', 25);
/** per probe: the exhaustive search's top-1 is the mate (undefined = not checked: the mate ranked high) */
const exhaustiveRight: (boolean | undefined)[] = [];
let rankMs = 0;
let oneByOneMs = 0;
let differ = 0;
const reference = new Int32Array(size);
let fullMs = 0;
let fullPairs = 0;
const rank = new Int32Array(size);
for (const [k, probe] of set.probes.entries()) {
  const matcher = new ProbeMatcher(prepareTemplate(probe.set));
  const voter = new ShortlistVoter(matcher.probe);
  let t = cpuMs();
  for (const s of shards) voter.rankIndexed(s.index, s.to - s.from, rank, s.from);
  rankMs += cpuMs() - t;
  if (k % 8 === 0) {
    // the entry-by-entry definition, for its cost and to check the index ranks alike
    t = cpuMs();
    for (let i = 0; i < size; i++) reference[i] = voter.rank(features[i]);
    oneByOneMs += cpuMs() - t;
    for (let i = 0; i < size; i++) if (reference[i] !== rank[i]) differ++;
  }
  const m = rank[probe.mate];
  // The set's mates are its first fingers, early in the gallery, so the pool's tie-break (gallery
  // order) would favour them; count the mate as in the middle of the entries tied with it, as a
  // gallery in any order gives on average.
  let above = 0;
  let tied = 0;
  for (let i = 0; i < size; i++) {
    if (rank[i] > m) above++;
    else if (rank[i] === m && i !== probe.mate) tied++;
  }
  const position = above + Math.floor(tied / 2);
  positions.push(position);
  if (position >= CHECK_FROM) {
    let best = -1;
    let top = -1;
    for (let i = 0; i < size; i++) {
      const score = matcher.score(prepared[i]);
      if (score > best) {
        best = score;
        top = i;
      }
    }
    exhaustiveRight[k] = top === probe.mate;
  }
  // the full comparison on a slice of the gallery, for its cost per pair at this moment
  if (k % 4 === 0) {
    t = cpuMs();
    for (let i = 0; i < 200; i++) matcher.score(prepared[(i * 37 + k) % size]);
    fullMs += cpuMs() - t;
    fullPairs += 200;
  }
}
const n = positions.length;
const sorted = [...positions].sort((a, b) => a - b);
console.log(
  `${n} probes, gallery ${size}: rank ${((rankMs * 1000) / (n * size)).toFixed(2)} µs CPU per entry ` +
    `(${(rankMs / n).toFixed(1)} ms per search; entry by entry ${((oneByOneMs * 1000) / (Math.ceil(n / 8) * size)).toFixed(2)} µs, ${differ} ranks differing), full comparison ${((fullMs * 1000) / fullPairs).toFixed(1)} µs per pair`,
);
console.log(
  `mate position: median ${sorted[n >> 1]}, p95 ${sorted[Math.floor(n * 0.95)]}, p99 ${sorted[Math.floor(n * 0.99)]}, worst ${sorted[n - 1]}`,
);
const wrong = exhaustiveRight.filter((r) => r === false).length;
console.log(
  `${exhaustiveRight.filter((r) => r !== undefined).length} probes ranked their mate at ${CHECK_FROM} or below; ` +
    `the exhaustive search misses ${wrong} of them anyway`,
);
for (const keep of [25, 50, 100, 150, 200, 300, 400, 500])
  console.log(
    `  mate within the best ${keep}: ${positions.filter((p) => p < keep).length} of ${n}; ` +
      `probes the exhaustive search gets right and a shortlist of ${keep} would lose: ` +
      `${positions.filter((p, k) => p >= keep && exhaustiveRight[k] === true).length}`,
  );
console.log(
  `worst 8 (probe index: position): ${positions
    .map((p, k) => [k, p])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, p]) => `${k}:${p}${exhaustiveRight[k] === false ? ' (missed exhaustively too)' : ''}`)
    .join(' ')}`,
);
