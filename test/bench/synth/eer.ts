/**
 * Accuracy of the project's extractor + matcher on synthetic fingerprints, next to the same pipeline
 * on FVC2002 DB4_B (itself made with SFinGe), so the generator can be judged against its model:
 * synthetic prints should not be easier than DB4_B by a wide margin (too clean) nor much harder
 * (unnatural ridges or distortion).
 *
 * Protocol as FVC (src/biometrics/eval/protocol.ts): genuine = all impression pairs of a finger,
 * impostor = all impression pairs of two different fingers (or with --fvc-impostors, first
 * impressions only, which is much faster).
 *
 *   npx tsx test/bench/synth/eer.ts [--fingers 100] [--impressions 4] [--seed 1] [--poor 0.0]
 *                                   [--fvc-impostors] [--no-db4] [--json]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { syntheticFinger } from '../../../simulator/fingerprints/index.ts';
import { fvcSetDpi } from '../../../src/biometrics/eval/dataset.ts';
import {
  genuinePairs,
  type Impression,
  impostorPairs,
  listImpressions,
} from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr, median } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { compare } from '../../../src/biometrics/match/index.ts';
import { FVC_DIR } from '../../shared-data.ts';
import { flag, numOpt } from '../args.ts';

const fingers = numOpt('fingers', 100);
const impressions = numOpt('impressions', 4);
const seed0 = numOpt('seed', 1);
const poorShare = numOpt('poor', 0);
const fvcImpostors = flag('fvc-impostors');
const json = flag('json');

interface Result {
  eer: number;
  fnmrAtFmr1pct: number;
  fnmrAtFmr01pct: number;
  genuinePairs: number;
  impostorPairs: number;
  medianGenuine: number;
  medianImpostor: number;
  meanMinutiae: number;
  extractMsMedian: number;
}

function evaluate(list: Impression[], templates: Map<string, MinutiaeSet>, times: number[]): Result {
  const score = (a: Impression, b: Impression) => compare(templates.get(a.id)!, templates.get(b.id)!);
  const gen = genuinePairs(list).map((p) => score(p.a, p.b));
  const impPairs = fvcImpostors ? impostorPairs(list.filter((i) => i.impression === 1)) : impostorPairs(list);
  const imp = impPairs.map((p) => score(p.a, p.b));
  const counts = [...templates.values()].map((t) => t.minutiae.length);
  return {
    eer: equalErrorRate(gen, imp),
    fnmrAtFmr1pct: fnmrAtFmr(gen, imp, 0.01),
    fnmrAtFmr01pct: fnmrAtFmr(gen, imp, 0.001),
    genuinePairs: gen.length,
    impostorPairs: imp.length,
    medianGenuine: median(gen),
    medianImpostor: median(imp),
    meanMinutiae: counts.reduce((s, c) => s + c, 0) / counts.length,
    extractMsMedian: median(times),
  };
}

function synthetic(): Result & { generateMsMedian: number } {
  const list: Impression[] = [];
  const templates = new Map<string, MinutiaeSet>();
  const times: number[] = [];
  const genTimes: number[] = [];
  for (let f = 0; f < fingers; f++) {
    const t0 = performance.now();
    const finger = syntheticFinger(seed0 + f);
    genTimes.push(performance.now() - t0);
    for (let i = 1; i <= impressions; i++) {
      // a deterministic share of poor impressions when asked for
      const poor = ((f * impressions + i) * 0.618034) % 1 < poorShare;
      const img = finger.impression(i, { quality: poor ? 'poor' : 'good' });
      const t1 = performance.now();
      const id = `${f}_${i}`;
      templates.set(id, extractMinutiae(img));
      times.push(performance.now() - t1);
      list.push({ id, finger: String(f), impression: i });
    }
    if (!json && (f + 1) % 10 === 0)
      process.stderr.write(`  generated and extracted ${f + 1}/${fingers} fingers\r`);
  }
  if (!json) process.stderr.write('\n');
  return { ...evaluate(list, templates, times), generateMsMedian: median(genTimes) };
}

function db4(): Result | undefined {
  const dir = path.join(FVC_DIR, 'DB4_B');
  if (!existsSync(dir)) return undefined;
  const list = listImpressions(readdirSync(dir), 'tif');
  const templates = new Map<string, MinutiaeSet>();
  const times: number[] = [];
  for (const imp of list) {
    const img = decodeImage(readFileSync(path.join(dir, `${imp.id}.tif`)), { defaultDpi: fvcSetDpi(dir) });
    const t0 = performance.now();
    templates.set(imp.id, extractMinutiae(img));
    times.push(performance.now() - t0);
  }
  return evaluate(list, templates, times);
}

const synth = synthetic();
const reference = flag('no-db4') ? undefined : db4();
if (json) {
  console.log(
    JSON.stringify(
      { fingers, impressions, seed: seed0, poorShare, synthetic: synth, db4: reference },
      null,
      2,
    ),
  );
} else {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const row = (name: string, r: Result) =>
    console.log(
      `${name.padEnd(22)} EER ${pct(r.eer).padStart(7)}  FNMR@FMR1% ${pct(r.fnmrAtFmr1pct).padStart(7)}  ` +
        `FNMR@FMR0.1% ${pct(r.fnmrAtFmr01pct).padStart(7)}  genuine ${r.genuinePairs} / impostor ${r.impostorPairs}  ` +
        `median scores ${r.medianGenuine.toFixed(3)} / ${r.medianImpostor.toFixed(3)}  ` +
        `minutiae ${r.meanMinutiae.toFixed(1)}  extract ${r.extractMsMedian.toFixed(0)} ms`,
    );
  console.log(
    `synthetic: ${fingers} fingers x ${impressions} impressions, seeds ${seed0}..${seed0 + fingers - 1}`,
  );
  row('synthetic', synth);
  console.log(`  master print generation: median ${synth.generateMsMedian.toFixed(0)} ms`);
  if (reference) row('FVC2002 DB4_B', reference);
  else if (!flag('no-db4')) console.log('FVC2002 DB4_B not found under ../shared: no reference row');
}
