/**
 * Dev script for tuning parameters.ts: overrides parameters from the command line, then prints per
 * set the recall/precision against the SecuGen templates, mean minutiae count and the matcher's EER.
 * Usage: MATCHER=... npx tsx test/bench/extract/tune.ts segmentEnergyRatio=0.05 borderDistance=8 [DB1_B]
 */
import type { Minutia, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { genuinePairs, impostorPairs, listImpressions } from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { PARAMS } from '../../../src/biometrics/extract/parameters.ts';
import { datasetPresent, type FvcSet, imageNames, readFvcImage, readIsoMinutiae, SETS } from './dataset.ts';

if (!datasetPresent()) process.exit(0);
const { compare } = (await import(process.env.MATCHER ?? '../../../src/biometrics/match/index.ts')) as {
  compare: (a: MinutiaeSet, b: MinutiaeSet) => number;
};
const params = PARAMS as unknown as Record<string, number>;
for (const arg of process.argv.slice(2).filter((a) => a.includes('='))) {
  const [k, v] = arg.split('=');
  if (!(k in params)) throw new Error(`no parameter ${k}`);
  params[k] = Number(v);
}
const sets = process.argv.slice(2).filter((a) => a.startsWith('DB')) as FvcSet[];
let eerSum = 0;
for (const set of sets.length ? sets : SETS) {
  const templates = new Map<string, MinutiaeSet>();
  const isoSets = new Map<string, MinutiaeSet>();
  let theirs = 0;
  let ours = 0;
  let paired = 0;
  let t = 0;
  for (const name of imageNames(set)) {
    const img = readFvcImage(set, name);
    const t0 = performance.now();
    const r = extractMinutiae(img);
    t += performance.now() - t0;
    templates.set(name, r);
    const ref = readIsoMinutiae(set, name, img.width, img.height);
    isoSets.set(name, { ...r, minutiae: ref });
    theirs += ref.length;
    ours += r.minutiae.length;
    paired += countPairs(ref, r.minutiae);
  }
  const list = listImpressions(
    [...templates.keys()].map((n) => `${n}.tif`),
    'tif',
  );
  const score = (a: string, b: string) => compare(templates.get(a)!, templates.get(b)!);
  const gen = genuinePairs(list).map((p) => ({ id: `${p.a.id}~${p.b.id}`, s: score(p.a.id, p.b.id) }));
  const imp = impostorPairs(list).map((p) => ({ id: `${p.a.id}~${p.b.id}`, s: score(p.a.id, p.b.id) }));
  const eer =
    100 *
    equalErrorRate(
      gen.map((g) => g.s),
      imp.map((g) => g.s),
    );
  // Interoperability: our extraction of one impression against the vendor template of the other.
  const inter = (a: string, b: string) => compare(templates.get(a)!, isoSets.get(b)!);
  const interEer =
    100 *
    equalErrorRate(
      genuinePairs(list).map((p) => inter(p.a.id, p.b.id)),
      impostorPairs(list).map((p) => inter(p.a.id, p.b.id)),
    );
  if (process.argv.includes('--worst')) {
    const low = [...gen].sort((a, b) => a.s - b.s).slice(0, 8);
    const high = [...imp].sort((a, b) => b.s - a.s).slice(0, 4);
    console.log('  lowest genuine:', low.map((g) => `${g.id} ${g.s.toFixed(3)}`).join(', '));
    console.log('  highest impostor:', high.map((g) => `${g.id} ${g.s.toFixed(3)}`).join(', '));
  }
  eerSum += eer;
  console.log(
    `${set}: EER ${eer.toFixed(2)}%  ours-vs-iso EER ${interEer.toFixed(2)}%  recall ${((100 * paired) / theirs).toFixed(1)}%  precision ${((100 * paired) / ours).toFixed(1)}%  mean count ${(ours / templates.size).toFixed(1)}  mean ms ${(t / templates.size).toFixed(1)}`,
  );
}
console.log(`sum of EERs ${eerSum.toFixed(2)}`);

function countPairs(ref: Minutia[], got: Minutia[]): number {
  const used = new Set<number>();
  let n = 0;
  for (const r of ref) {
    let best = -1;
    let bestD = 12;
    got.forEach((g, j) => {
      const d = Math.hypot(r.x - g.x, r.y - g.y);
      if (!used.has(j) && d <= bestD) {
        bestD = d;
        best = j;
      }
    });
    if (best >= 0) {
      used.add(best);
      n++;
    }
  }
  return n;
}
