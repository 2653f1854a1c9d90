/**
 * Dev script: which weakness of our minutiae costs accuracy? Mixes our extraction with the vendor
 * (SecuGen) templates and runs the matcher on each mixture (full FVC protocol), printing EERs:
 *   iso           vendor templates as they are (the matcher's own reference)
 *   isoPaired     only the vendor minutiae we also found (cost of what we miss)
 *   isoPlusFalse  vendor minutiae plus ours they lack (cost of our extras)
 *   isoOurAngle   vendor minutiae we found, with our angles (cost of our angle noise)
 *   isoOurPos     vendor minutiae we found, at our positions (cost of our position noise)
 *   ours          our extraction
 * Usage: [MATCHER=path/to/match/index.ts] npx tsx test/bench/extract/ablation.ts DB1_B [DB4_B ...]
 */
import type { Minutia, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { datasetPresent, type FvcSet, imageNames, readFvcImage, readIsoMinutiae, SETS } from './dataset.ts';

const PAIR_DISTANCE = 12;
if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}
const { compare } = (await import(process.env.MATCHER ?? '../../../src/biometrics/match/index.ts')) as {
  compare: (a: MinutiaeSet, b: MinutiaeSet) => number;
};
const VARIANTS = ['iso', 'isoPaired', 'isoPlusFalse', 'isoOurAngle', 'isoOurPos', 'ours'] as const;
const sets = process.argv.slice(2).filter((a) => a.startsWith('DB')) as FvcSet[];
for (const set of sets.length ? sets : SETS) {
  const variants = new Map(VARIANTS.map((v) => [v, new Map<string, MinutiaeSet>()]));
  for (const name of imageNames(set)) {
    const img = readFvcImage(set, name);
    const ours = extractMinutiae(img);
    const ref = readIsoMinutiae(set, name, img.width, img.height);
    const nearest = (a: Minutia, list: Minutia[]) => {
      let best: Minutia | undefined;
      let bestD = PAIR_DISTANCE;
      for (const b of list) {
        const d = Math.hypot(a.x - b.x, a.y - b.y);
        if (d <= bestD) {
          bestD = d;
          best = b;
        }
      }
      return best;
    };
    const pairs = ref.flatMap((m) => {
      const o = nearest(m, ours.minutiae);
      return o ? [[m, o] as const] : [];
    });
    const put = (v: (typeof VARIANTS)[number], minutiae: Minutia[]) =>
      variants.get(v)!.set(name, { ...ours, minutiae });
    put('iso', ref);
    put(
      'isoPaired',
      pairs.map(([m]) => m),
    );
    put('isoPlusFalse', [...ref, ...ours.minutiae.filter((m) => !nearest(m, ref))]);
    put(
      'isoOurAngle',
      pairs.map(([m, o]) => ({ ...m, angle: o.angle })),
    );
    put(
      'isoOurPos',
      pairs.map(([m, o]) => ({ ...m, x: o.x, y: o.y })),
    );
    put('ours', ours.minutiae);
  }
  const list = listImpressions(
    imageNames(set).map((n) => `${n}.tif`),
    'tif',
  );
  const line: string[] = [set];
  for (const [v, templates] of variants) {
    const s = (a: string, b: string) => compare(templates.get(a)!, templates.get(b)!);
    const eer = equalErrorRate(
      genuinePairs(list).map((p) => s(p.a.id, p.b.id)),
      impostorPairs(list).map((p) => s(p.a.id, p.b.id)),
    );
    line.push(`${v} ${(100 * eer).toFixed(2)}%`);
  }
  console.log(line.join('  '));
}
