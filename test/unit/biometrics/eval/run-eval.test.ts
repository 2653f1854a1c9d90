import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import { encodeIso19794_2v2011Views } from '../../../../protocols/biometrics/iso19794-2-2011.ts';
import type { GrayImage, MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { isBridgeError } from '../../../../protocols/errors.ts';
import { listImpressions } from '../../../../src/biometrics/eval/protocol.ts';
import { type EvalEngine, runEval } from '../../../../src/biometrics/eval/run-eval.ts';
import { isoTemplateOnImage } from '../../../../src/biometrics/eval/template-geometry.ts';
import { impostorSums, tailsOf } from '../../../../src/biometrics/verify-policy/impostor-tails.ts';
import { fvcDir, fvcPresent } from '../match/fixtures.ts';

/**
 * A recording engine: "extraction" returns the image's own .iso template (so no extractor is needed
 * and each image is recognisable), comparison records what it was given. The live views are that
 * template and a copy of it; the copy scores `secondView(probe's template, candidate)` when given.
 */
function recordingEngine(
  isoOf: (img: GrayImage) => MinutiaeSet,
  secondView?: (first: MinutiaeSet, candidate: MinutiaeSet) => number,
) {
  const calls: { probe: MinutiaeSet; candidate: MinutiaeSet }[] = [];
  /** the live view each extraction was asked for, in order */
  const views: number[] = [];
  const firstOf = new WeakMap<MinutiaeSet, MinutiaeSet>();
  const engine: EvalEngine = {
    concurrency: 2,
    extract: async (img, view = 0) => {
      views.push(view);
      const first = isoOf(img);
      if (view === 0) return first;
      const second = { ...first };
      firstOf.set(second, first);
      return second;
    },
    compare: async (probe, candidate) => {
      calls.push({ probe, candidate });
      const first = firstOf.get(probe);
      if (first && secondView) return secondView(first, candidate);
      return probe === candidate ? 1 : probe.minutiae.length / 1000;
    },
  };
  return { engine, calls, views };
}

describe.skipIf(!fvcPresent)('runEval on a small FVC-style folder', () => {
  // 3 fingers x 3 impressions of DB1_B, linked (not copied) into a temporary folder
  let dir: string;
  const ids = ['101', '102', '103'].flatMap((f) => [1, 2, 3].map((i) => `${f}_${i}`));
  const source = path.join(fvcDir, 'DB1_B');
  const isoById = new Map<string, MinutiaeSet>();

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ektp-eval-DB1_B-'));
    for (const id of ids) {
      symlinkSync(path.join(source, `${id}.tif`), path.join(dir, `${id}.tif`));
      symlinkSync(path.join(source, `${id}.iso`), path.join(dir, `${id}.iso`));
      const geometry = { width: 388, height: 374, dpi: 500 };
      isoById.set(
        id,
        isoTemplateOnImage(decodeIso19794_2(readFileSync(path.join(source, `${id}.iso`))), geometry),
      );
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The images are told apart by their first pixel row, which differs between these nine files.
  const rowKey = (img: GrayImage) => Buffer.from(img.pixels.subarray(0, img.width * 4)).toString('base64');
  const byRow = new Map<string, string>();
  const isoOf = (img: GrayImage) => isoById.get(byRow.get(rowKey(img))!)!;

  beforeAll(async () => {
    const { decodeImage } = await import('../../../../src/biometrics/image/index.ts');
    for (const id of ids) byRow.set(rowKey(decodeImage(readFileSync(path.join(source, `${id}.tif`)))), id);
    expect(byRow.size).toBe(ids.length);
  });

  it('runs the protocol: 9 genuine and 27 impostor pairs, scores in pair order, rates and timings', async () => {
    const { engine, calls, views } = recordingEngine(isoOf);
    const r = await runEval(engine, { dataset: dir, mode: 'images' });
    // no verify policy: each image is extracted once, its first view only
    expect(views).toEqual(Array(9).fill(0));
    expect(r.genuinePairs).toBe(9);
    expect(r.impostorPairs).toBe(27);
    expect(r.genuineIds.slice(0, 3)).toEqual(['101_1:101_2', '101_1:101_3', '101_2:101_3']);
    expect(r.genuineScores).toHaveLength(9);
    expect(r.impostorScores).toHaveLength(27);
    expect(calls).toHaveLength(36);
    expect(r.eer).toBeGreaterThanOrEqual(0);
    expect(r.eer).toBeLessThanOrEqual(1);
    expect(r.extractMsMedian).toBeGreaterThanOrEqual(0);
    expect(r.dataset).toBe(dir);
    // images mode: both sides are "extracted" (here: the image's template, as the fake engine returns)
    expect(calls[0].probe).toBe(isoById.get('101_1'));
    expect(calls[0].candidate).toBe(isoById.get('101_2'));
  });

  it('with --templates iso compares image i against the .iso template of j', async () => {
    const { engine, calls } = recordingEngine(isoOf);
    const r = await runEval(engine, { dataset: dir, mode: 'iso' });
    expect(r.mode).toBe('iso');
    // first genuine pair (101_1, 101_2): probe = extraction of image 1, candidate = template of 2
    // read from the .iso file (a new object, equal in content to the one decoded here)
    expect(calls[0].probe).toBe(isoById.get('101_1'));
    expect(calls[0].candidate).not.toBe(isoById.get('101_2'));
    expect(calls[0].candidate).toEqual(isoById.get('101_2'));
  });

  it('reads .iso templates of either ISO/IEC 19794-2 edition: the same folder with :2011 records (.iso or .ISO)', async () => {
    const dir2011 = mkdtempSync(path.join(tmpdir(), 'ektp-eval-2011-'));
    try {
      for (const id of ids) {
        symlinkSync(path.join(source, `${id}.tif`), path.join(dir2011, `${id}.tif`));
        const record = decodeIso19794_2(readFileSync(path.join(source, `${id}.iso`)));
        // some named in upper case, as exports from other systems come: read on any file system
        const ext = id.endsWith('_2') ? 'ISO' : 'iso';
        writeFileSync(path.join(dir2011, `${id}.${ext}`), encodeIso19794_2v2011Views([record]));
      }
      const { engine, calls } = recordingEngine(isoOf);
      await runEval(engine, { dataset: dir2011, mode: 'iso' });
      expect(calls[0].candidate).toEqual(isoById.get('101_2'));
    } finally {
      rmSync(dir2011, { recursive: true, force: true });
    }
  });

  /** our extraction on both sides, the verify policy of 2 attempts, no quality gate */
  const withPolicy = () => ({
    dataset: dir,
    mode: 'images' as const,
    policy: { targetFmr: 0.001, maxAttempts: 2, minQuality: 0, minMinutiae: 0 },
  });

  it('with a policy, decides whole verify calls: one person (101+102), card = impression 1 of both', async () => {
    const { engine, calls, views } = recordingEngine(isoOf);
    const r = await runEval(engine, withPolicy());
    // 2 fingers x starts at impressions 2 and 3; 103 has no partner, so no other person, no impostor
    expect(r.verifyPolicy?.transactions).toEqual({ genuine: 4, impostor: 0 });
    // the fake scores unequal objects at minutiae / 1000: far under any stage threshold
    expect(r.verifyPolicy?.falseRejects).toBe(4);
    expect(r.verifyPolicy?.fnmr).toBe(1);
    // the claims (the other finger after a failed call) use the same comparisons: none of their own
    expect(r.verifyPolicy?.claims?.claims).toEqual({ genuine: 4, impostor: 0 });
    expect(r.verifyPolicy?.claims?.falseRejects).toBe(4);
    // each live view of each image extracted once (the first is the pairs' template too)
    expect(views.filter((v) => v === 0)).toHaveLength(9);
    expect(views.filter((v) => v === 1)).toHaveLength(9);
    // the pair comparisons plus both live views of every image against the two card templates
    expect(calls).toHaveLength(36 + 2 * 9 * 2);
    expect(
      calls.slice(36).every((c) => [isoById.get('101_1'), isoById.get('102_1')].includes(c.candidate)),
    ).toBe(true);
  });

  it('scores each attempt by its best live view, as the daemon does', async () => {
    const idOf = new Map([...isoById].map(([id, t]) => [t, id]));
    const finger = (t: MinutiaeSet) => idOf.get(t)!.split('_')[0];
    // the second view meets its own finger's card (the first view never does: minutiae / 1000)
    const { engine } = recordingEngine(isoOf, (first, card) => (finger(first) === finger(card) ? 0.9 : 0));
    const r = await runEval(engine, withPolicy());
    expect(r.verifyPolicy?.transactions).toEqual({ genuine: 4, impostor: 0 });
    expect(r.verifyPolicy?.falseRejects).toBe(0);
    expect(r.verifyPolicy?.meanGenuineAttempts).toBe(1);
  });

  it("measures the folder's impostor tails as the daemon scores attempts, every impression as the card", async () => {
    const idOf = new Map([...isoById].map(([id, t]) => [t, id]));
    const size = (t: MinutiaeSet) => isoById.get(idOf.get(t)!)!.minutiae.length;
    // first view: the live template's size / 1000; second view: the card's: the best is the larger
    const { engine } = recordingEngine(isoOf, (_first, card) => size(card) / 1000);
    const list = listImpressions(
      ids.map((id) => `${id}.tif`),
      'tif',
    );
    const expected = tailsOf(
      impostorSums(list, (l, c) => Math.max(size(isoById.get(l.id)!), size(isoById.get(c.id)!)) / 1000, 10),
    );
    // 3 fingers x 3 impressions: 9 cards x 2 other fingers x 3 starts
    expect(expected.sequences).toBe(54);
    const pairs = await runEval(engine, { dataset: dir, mode: 'images', measureTails: true });
    expect(pairs.impostorTails?.modes).toEqual({ images: expected });
    expect(pairs.impostorTails?.about).toMatch(/eval --tails-out from .* \(mode images\)/);
    // through a 1:N scan (the pool's compareMany) the same
    const scan = {
      ...engine,
      compareMany: async (probe: MinutiaeSet, gallery: MinutiaeSet[]) =>
        Float64Array.from(await Promise.all(gallery.map((g) => engine.compare(probe, g)))),
    };
    expect(
      (await runEval(scan, { dataset: dir, mode: 'images', measureTails: true })).impostorTails?.modes,
    ).toEqual({ images: expected });
    // not asked for: not measured
    expect((await runEval(engine, { dataset: dir, mode: 'images' })).impostorTails).toBeUndefined();
  });

  it('refuses a folder without images and a missing .iso in iso mode', async () => {
    const { engine } = recordingEngine(isoOf);
    const empty = mkdtempSync(path.join(tmpdir(), 'ektp-eval-empty-'));
    try {
      await expect(runEval(engine, { dataset: empty, mode: 'images' })).rejects.toSatisfy((e) =>
        isBridgeError(e, 'INVALID_PARAMS'),
      );
      symlinkSync(path.join(source, '101_1.tif'), path.join(empty, '101_1.tif'));
      await expect(runEval(engine, { dataset: empty, mode: 'iso' })).rejects.toSatisfy((e) =>
        isBridgeError(e, 'INVALID_PARAMS'),
      );
      await expect(runEval(engine, { dataset: path.join(empty, 'nope'), mode: 'images' })).rejects.toSatisfy(
        (e) => isBridgeError(e, 'INVALID_PARAMS'),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('runEval reads every image format the decoder reads (no FVC data needed)', () => {
  it('takes PNG and PGM sets, one file per impression (TIFF, then PNG, ... before PGM)', async () => {
    const { encodePng } = await import('../../../../src/biometrics/image/encode-png.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'ektp-eval-formats-'));
    // each image's first pixel names it: finger * 10 + impression (the PGM twin of 1_1 gets 99)
    const image = (v: number): GrayImage => {
      const pixels = new Uint8Array(64 * 64).fill(128);
      pixels[0] = v;
      return { width: 64, height: 64, dpi: 500, pixels };
    };
    const pgm = (v: number) => {
      const img = image(v);
      return Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`), Buffer.from(img.pixels)]);
    };
    try {
      for (const [f, i] of [
        [1, 1],
        [1, 2],
        [10, 1],
        [10, 2],
      ])
        writeFileSync(path.join(dir, `${f}_${i}.png`), encodePng(image(f * 10 + i)));
      writeFileSync(path.join(dir, '1_1.pgm'), pgm(99));
      writeFileSync(path.join(dir, '2_1.pgm'), pgm(21));
      writeFileSync(path.join(dir, '2_2.PGM'), pgm(22));
      const seen: number[] = [];
      const engine: EvalEngine = {
        concurrency: 1,
        extract: async (img) => {
          seen.push(img.pixels[0]);
          return {
            width: img.width,
            height: img.height,
            dpiX: 500,
            dpiY: 500,
            minutiae: [],
            quality: 0,
            fingerPosition: 0,
          };
        },
        compare: async () => 0.5,
      };
      const report = await runEval(engine, { dataset: dir, mode: 'images' });
      // three fingers of two impressions: 3 genuine pairs; 1_1 from the PNG, not its PGM twin
      expect(report.genuinePairs).toBe(3);
      expect(seen.sort((a, b) => a - b)).toEqual([11, 12, 21, 22, 101, 102]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runEval: the resolution of images that do not carry one', () => {
  it('uses an FVC set resolution only for images of that set size (the competitions reuse the names)', async () => {
    const { untaggedImageDpi, fvcSetDpi } = await import('../../../../src/biometrics/eval/dataset.ts');
    expect(untaggedImageDpi('/data/fvc2002/DB2_B', 296, 560)).toBe(569);
    expect(untaggedImageDpi('/data/fvc2004/DB2_B', 328, 364)).toBe(500);
    expect(untaggedImageDpi('/data/fvc2006/DB2_A', 400, 560)).toBe(569);
    expect(untaggedImageDpi('/data/fvc2006/DB1_B', 96, 96)).toBe(250);
    expect(untaggedImageDpi('/data/fvc2004/DB3_A', 300, 480)).toBe(512);
    expect(untaggedImageDpi('/data/fvc2000/DB1_B', 300, 300)).toBe(500);
    // the size must belong to the folder's DB number: FVC2006 DB1's size in a DB2 folder says nothing
    expect(untaggedImageDpi('/data/x/DB2_B', 96, 96)).toBe(500);
    expect(untaggedImageDpi('/data/other', 296, 560)).toBe(500);
    // the sets in ../shared are FVC2002's, by folder name alone
    expect(fvcSetDpi('/shared/datasets/fvc2002-b/DB2_B')).toBe(569);
    expect(fvcSetDpi('/shared/datasets/fvc2002-b/DB4_B')).toBe(500);
    // through runEval: PGM files (no resolution in the format) in a folder named DB2_B, one finger
    // sized as FVC2004's DB2, one as FVC2002's
    const root = mkdtempSync(path.join(tmpdir(), 'ektp-eval-dpi-'));
    const dir = path.join(root, 'DB2_B');
    const pgm = (w: number, h: number) =>
      Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), Buffer.alloc(w * h, 100)]);
    try {
      mkdirSync(dir);
      for (const id of ['1_1', '1_2']) writeFileSync(path.join(dir, `${id}.pgm`), pgm(328, 364));
      for (const id of ['2_1', '2_2']) writeFileSync(path.join(dir, `${id}.pgm`), pgm(296, 560));
      const seen: number[] = [];
      const engine: EvalEngine = {
        concurrency: 1,
        extract: async (i) => {
          seen.push(i.dpi);
          return {
            width: i.width,
            height: i.height,
            dpiX: i.dpi,
            dpiY: i.dpi,
            minutiae: [],
            quality: 0,
            fingerPosition: 0,
          };
        },
        compare: async () => 0.5,
      };
      await runEval(engine, { dataset: dir, mode: 'images' });
      expect(seen).toEqual([500, 500, 569, 569]);
      await runEval(engine, { dataset: dir, mode: 'images', dpi: 1000 });
      expect(seen.slice(4)).toEqual([1000, 1000, 1000, 1000]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
