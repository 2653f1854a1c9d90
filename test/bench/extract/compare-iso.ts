/**
 * Dev script: our minutiae against the commercial (SecuGen) ISO templates on the same FVC images.
 * Pairs each of theirs with our nearest unpaired minutia within 12 px (greedy, closest pairs first),
 * then prints recall (their minutiae we found), precision (ours they also have), the circular mean
 * and spread of the angle differences of pairs (per type: the convention check: near 0, not π), and
 * type agreement. `--finger 105`: that finger's impressions only.
 * Usage: npx tsx test/bench/extract/compare-iso.ts [DB1_B ...] [--limit N] [--finger F]
 */
import type { Minutia } from '../../../protocols/biometrics/types.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { numOpt, opt } from '../args.ts';
import { datasetPresent, type FvcSet, imageNames, readFvcImage, readIsoMinutiae, SETS } from './dataset.ts';

const PAIR_DISTANCE = 12;

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to compare');
  process.exit(0);
}
const args = process.argv.slice(2);
const limit = numOpt('limit', Number.POSITIVE_INFINITY);
const finger = opt('finger');
const sets = (
  args.filter(
    (a, i) => a.startsWith('DB') && args[i - 1] !== '--limit' && args[i - 1] !== '--finger',
  ) as FvcSet[]
).concat();
for (const set of sets.length ? sets : SETS) {
  let theirs = 0;
  let ourCount = 0;
  let paired = 0;
  let sameType = 0;
  const diffs: Record<string, number[]> = { ending: [], bifurcation: [] };
  const names = imageNames(set).filter((n) => !finger || n.startsWith(`${finger}_`));
  for (const name of names.slice(0, limit)) {
    const img = readFvcImage(set, name);
    const ref = readIsoMinutiae(set, name, img.width, img.height);
    const got = extractMinutiae(img).minutiae;
    theirs += ref.length;
    ourCount += got.length;
    for (const [r, g] of pairUp(ref, got)) {
      paired++;
      if (r.type === g.type) sameType++;
      let d = g.angle - r.angle;
      d = Math.atan2(Math.sin(d), Math.cos(d));
      if (!diffs[r.type]) diffs[r.type] = [];
      diffs[r.type].push(d);
    }
  }
  const line = [
    `${set}${finger ? ` finger ${finger}` : ''}: theirs ${theirs}, ours ${ourCount}, paired ${paired}`,
    `recall ${((100 * paired) / theirs).toFixed(1)}%`,
    `precision ${((100 * paired) / ourCount).toFixed(1)}%`,
    `same type ${((100 * sameType) / paired).toFixed(1)}%`,
  ];
  for (const [type, ds] of Object.entries(diffs)) {
    if (!ds.length) continue;
    const mean = Math.atan2(
      ds.reduce((s, d) => s + Math.sin(d), 0),
      ds.reduce((s, d) => s + Math.cos(d), 0),
    );
    const within30 = ds.filter((d) => Math.abs(d) < Math.PI / 6).length / ds.length;
    const flipped = ds.filter((d) => Math.abs(d) > (5 * Math.PI) / 6).length / ds.length;
    line.push(
      `${type}: mean Δangle ${((mean * 180) / Math.PI).toFixed(1)}° |Δ|<30° ${(100 * within30).toFixed(0)}% |Δ|>150° ${(100 * flipped).toFixed(0)}%`,
    );
  }
  console.log(line.join(' | '));
}

function pairUp(ref: Minutia[], got: Minutia[]): [Minutia, Minutia][] {
  const cand: [number, number, number][] = [];
  ref.forEach((r, i) => {
    got.forEach((g, j) => {
      const d = Math.hypot(r.x - g.x, r.y - g.y);
      if (d <= PAIR_DISTANCE) cand.push([d, i, j]);
    });
  });
  cand.sort((a, b) => a[0] - b[0]);
  const usedR = new Set<number>();
  const usedG = new Set<number>();
  const out: [Minutia, Minutia][] = [];
  for (const [, i, j] of cand) {
    if (usedR.has(i) || usedG.has(j)) continue;
    usedR.add(i);
    usedG.add(j);
    out.push([ref[i], got[j]]);
  }
  return out;
}
