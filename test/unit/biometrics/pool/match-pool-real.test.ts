/** The pool with the real extractor and matcher: same answers as running them in-process. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { extractLiveViews } from '../../../../src/biometrics/extract/live-views.ts';
import { decodeImage } from '../../../../src/biometrics/image/index.ts';
import { compare, compareMany } from '../../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../../src/biometrics/pool/index.ts';
import { fvcFiles, fvcPresent } from '../codecs/dataset.ts';

describe.skipIf(!fvcPresent)('MatchPool with the real extractor and matcher (FVC2002 DB1_B)', () => {
  const pool = new MatchPool({ threads: 2, minShardSize: 8 });
  afterAll(() => pool.close());

  it('extract in the pool equals extract in-process', async () => {
    const bytes = readFileSync(fvcFiles('DB1_B', '.tif')[0]);
    const expected = extractMinutiae(decodeImage(bytes));
    const got = await pool.extract(decodeImage(bytes));
    expect(got).toEqual(expected);
  });

  it('extract of each live view in the pool equals the live views in-process; an unknown view is refused', async () => {
    const bytes = readFileSync(fvcFiles('DB1_B', '.tif')[3]);
    const expected = extractLiveViews(decodeImage(bytes));
    const got = await Promise.all(
      expected.map((_, view) => pool.extract(decodeImage(bytes), undefined, view)),
    );
    expect(got).toEqual(expected);
    // the second view is a different extraction of the same print, not a copy of the first
    expect(got[1].minutiae).not.toEqual(got[0].minutiae);
    await expect(pool.extract(decodeImage(bytes), undefined, 2)).rejects.toThrow(RangeError);
  });

  it('compare and sharded compareMany score exactly like in-process', async () => {
    const gallery = fvcFiles('DB1_B', '.iso').map((f) => decodeIso19794_2(new Uint8Array(readFileSync(f))));
    const probe = gallery[0];
    expect(await pool.compare(probe, gallery[1])).toBe(compare(probe, gallery[1]));
    const scores = await pool.compareMany(probe, gallery);
    expect(Array.from(scores)).toEqual(Array.from(compareMany(probe, gallery)));
    // Second probe: workers reuse the shards they cached; a new gallery of the same length must not.
    expect(Array.from(await pool.compareMany(gallery[9], gallery))).toEqual(
      Array.from(compareMany(gallery[9], gallery)),
    );
    const reversed = [...gallery].reverse();
    expect(Array.from(await pool.compareMany(gallery[9], reversed))).toEqual(
      Array.from(compareMany(gallery[9], reversed)),
    );
  });

  it('identify on a loaded gallery scores exactly like compare, probe after probe', async () => {
    const gallery = fvcFiles('DB1_B', '.iso').map((f) => decodeIso19794_2(new Uint8Array(readFileSync(f))));
    await pool.loadGallery('db1', gallery);
    for (const probe of [gallery[3], gallery[40], gallery[77]]) {
      expect(Array.from(await pool.identify('db1', probe))).toEqual(gallery.map((g) => compare(probe, g)));
    }
  });
});
