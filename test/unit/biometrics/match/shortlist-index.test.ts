/**
 * The inverted index of the 1:N shortlist (match/shortlist-index.ts) must rank every entry exactly
 * as the entry-by-entry definition (ShortlistVoter.rank) does: same votes, same fullest cell. If it
 * lost or added a vote, the shortlist would change silently; this fails instead.
 */
import { describe, expect, it } from 'vitest';
import { prepareTemplate } from '../../../../src/biometrics/match/prepare.ts';
import { rankFeatures, ShortlistVoter } from '../../../../src/biometrics/match/shortlist.ts';
import {
  fillRankIndex,
  type RankIndex,
  rankIndexBytes,
} from '../../../../src/biometrics/match/shortlist-index.ts';
import { liveImpression, syntheticEntries } from '../../gallery/synthetic-gallery.ts';

function emptyIndex(room: number): RankIndex {
  const bytes = rankIndexBytes(room);
  return {
    start: new Int32Array(bytes.start / 4),
    entry: new Uint16Array(bytes.entry / 2),
    absQ: new Uint8Array(bytes.absQ),
    mid: new Float32Array(bytes.mid / 4),
  };
}

describe('shortlist inverted index', () => {
  const sets = syntheticEntries(400, 5).map((e) => e.set);
  const features = sets.map((s) => rankFeatures(prepareTemplate(s)));
  const postings = features.reduce((a, f) => a + f.length / 4, 0);

  it('ranks every entry as the entry-by-entry vote does, mates on top', () => {
    const index = emptyIndex(postings);
    expect(fillRankIndex(features, index)).toBe(postings);
    const ranks = new Int32Array(sets.length + 7);
    for (let k = 0; k < 12; k++) {
      const mate = (k * 31 + 3) % sets.length;
      const voter = new ShortlistVoter(prepareTemplate(liveImpression(sets[mate], 500 + k)));
      // written at an offset, as the pool writes each shard into the gallery's rank array
      ranks.fill(-1);
      voter.rankIndexed(index, sets.length, ranks, 7);
      const expected = features.map((f) => voter.rank(f));
      expect(Array.from(ranks.subarray(7))).toEqual(expected);
      expect(Array.from(ranks.subarray(0, 7))).toEqual(new Array(7).fill(-1));
      // the mate is ranked first: the test is not comparing two arrays of zeros
      expect(Math.max(...expected)).toBe(expected[mate]);
      // rank = votes in the fullest cell * 256 + votes around it
      expect(expected[mate] >> 8).toBeGreaterThan(3);
    }
  });

  it('gives 0 to entries too small to have edges, and to everything for a probe without edges', () => {
    const tiny = { ...sets[0], minutiae: sets[0].minutiae.slice(0, 1) };
    const list = [features[0], rankFeatures(prepareTemplate(tiny)), features[1]];
    const index = emptyIndex(postings);
    fillRankIndex(list, index);
    const out = new Int32Array(3);
    new ShortlistVoter(prepareTemplate(liveImpression(sets[0], 9))).rankIndexed(index, 3, out, 0);
    expect(out[0]).toBeGreaterThan(0);
    expect(out[1]).toBe(0);
    new ShortlistVoter(prepareTemplate(tiny)).rankIndexed(index, 3, out, 0);
    expect(Array.from(out)).toEqual([0, 0, 0]);
  });

  it('refuses to overfill its buffers rather than write past them', () => {
    expect(() => fillRankIndex(features, emptyIndex(postings - 1))).toThrow(RangeError);
  });
});
