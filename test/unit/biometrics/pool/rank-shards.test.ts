/**
 * The shortlist's shared indexes (pool/rank-shards.ts): one per run of RANK_SHARD_SIZE entries, built
 * once by the first thread that ranks it and then only read; while one is being built elsewhere, its
 * entries are ranked one by one with the same result.
 */
import { describe, expect, it } from 'vitest';
import { prepareTemplate } from '../../../../src/biometrics/match/prepare.ts';
import { rankFeatures, ShortlistVoter } from '../../../../src/biometrics/match/shortlist.ts';
import { packSetsShared } from '../../../../src/biometrics/pool/packed-sets.ts';
import { newRankShards, RANK_SHARD_SIZE, rankShard } from '../../../../src/biometrics/pool/rank-shards.ts';
import { liveImpression, syntheticEntries } from '../../gallery/synthetic-gallery.ts';

describe('rank shards', () => {
  const size = RANK_SHARD_SIZE + 300;
  const sets = syntheticEntries(size, 8).map((e) => e.set);
  const features = sets.map((s) => rankFeatures(prepareTemplate(s)));
  const probeOf = (mate: number) =>
    new ShortlistVoter(prepareTemplate(liveImpression(sets[mate], 40 + mate)));

  it('cover the gallery in runs of RANK_SHARD_SIZE, in shared memory', () => {
    const shards = newRankShards(packSetsShared(sets));
    expect(shards.map((s) => [s.from, s.to])).toEqual([
      [0, RANK_SHARD_SIZE],
      [RANK_SHARD_SIZE, size],
    ]);
    for (const s of shards) {
      expect(s.state.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(s.index.mid.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('are built by the first ranking and then read without the entries', () => {
    const shards = newRankShards(packSetsShared(sets));
    const mate = RANK_SHARD_SIZE + 17;
    const voter = probeOf(mate);
    const rank = new Int32Array(size);
    let asked = 0;
    for (const s of shards)
      rankShard(s, voter, rank, (i) => {
        asked++;
        return features[i];
      });
    expect(asked).toBe(size);
    expect(Array.from(rank)).toEqual(features.map((f) => voter.rank(f)));
    expect(Math.max(...rank)).toBe(rank[mate]);
    // a second search (any thread) reads the built index: it never needs an entry
    const again = new Int32Array(size);
    const other = probeOf(5);
    for (const s of shards)
      rankShard(s, other, again, () => {
        throw new Error('the index was built: no entry is needed');
      });
    expect(Array.from(again)).toEqual(features.map((f) => other.rank(f)));
  });

  it('rank entry by entry, alike, while another thread is building the index', () => {
    const shards = newRankShards(packSetsShared(sets));
    Atomics.store(shards[0].state, 0, 1); // BUILDING, by someone else
    const voter = probeOf(3);
    const rank = new Int32Array(size);
    let asked = 0;
    rankShard(shards[0], voter, rank, (i) => {
      asked++;
      return features[i];
    });
    expect(asked).toBe(RANK_SHARD_SIZE);
    expect(Atomics.load(shards[0].state, 0)).toBe(1);
    expect(Array.from(rank.subarray(0, RANK_SHARD_SIZE))).toEqual(
      features.slice(0, RANK_SHARD_SIZE).map((f) => voter.rank(f)),
    );
  });
});
