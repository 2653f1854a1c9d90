/**
 * Worker side of the 'compareMany' task: score a probe against a gallery shard that arrived packed.
 *
 * Preparing a template costs several times more than scoring it, and the matcher caches prepared
 * forms per MinutiaeSet object. So each worker keeps the unpacked sets of the shards it has seen,
 * keyed by gallery id and shard bounds: a gallery held in memory is unpacked and prepared once per
 * worker, and later 1:N calls only score. The shard bytes still travel every time (the main thread
 * cannot know which worker gets which shard), but that is one memcpy and a transfer.
 */
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { compareMany } from '../match/index.ts';
import { type PackedSets, unpackSets } from './packed-sets.ts';

export interface GalleryShard extends PackedSets {
  /** identifies the same shard of the same gallery across calls; absent = do not cache */
  key?: string;
}

/** At most this many shards are kept per worker, least recently used dropped first. */
const MAX_CACHED_SHARDS = 16;
const shards = new Map<string, MinutiaeSet[]>();

function setsOf(shard: GalleryShard): MinutiaeSet[] {
  if (shard.key === undefined) return unpackSets(shard);
  let sets = shards.get(shard.key);
  if (sets) {
    shards.delete(shard.key); // re-insert: Map order is the recency order
  } else {
    sets = unpackSets(shard);
    if (shards.size >= MAX_CACHED_SHARDS) shards.delete(shards.keys().next().value as string);
  }
  shards.set(shard.key, sets);
  return sets;
}

export function compareManyPacked(probe: MinutiaeSet, shard: GalleryShard): Float64Array {
  return compareMany(probe, setsOf(shard));
}
