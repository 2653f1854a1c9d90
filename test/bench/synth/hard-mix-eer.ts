/**
 * Accuracy on a hard-mix folder (test/bench/synth/hard-mix.ts) or a real-hard folder
 * (test/bench/synth/real-hard.ts: distort/, drywet/, original/), ours and, with --nbis, NBIS's
 * (mindtct + bozorth3 through Debian's libfprint, ../shared/tools/nbis/) on the same images.
 *
 * Protocols:
 *   - all pairs (ours only): every genuine pair (28 per finger) and every impostor pair
 *     (316,800 for 100 x 8), as `ektp-bridge eval` counts FVC2002;
 *   - FVC (ours and NBIS): every genuine pair and the first impressions of every two fingers
 *     (4,950 for 100 fingers). NBIS takes ~25 ms per verification, so all pairs would take hours.
 * Also prints our FNMR at the FMR-0.1% threshold per touch condition (conditions.json).
 *
 *   npx tsx test/bench/synth/hard-mix-eer.ts DIR [--cache FILE] [--nbis WORKDIR [--bootstrap 1000]]
 * --bootstrap N (with --nbis) adds 90% intervals of both EERs and of their ratio, resampling fingers
 * (finger-bootstrap.ts): on 30 fingers (real-hard sets) one EER point is only a few pairs.
 * WORKDIR (outside the repo) gets one folder of symlinks per finger plus one of first impressions,
 * and NBIS's logs; needs Debian's libfprint and its Python bindings (scripts/install-nbis-tools.sh).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import {
  genuinePairs,
  type Impression,
  impostorPairs,
  listImpressions,
  type Pair,
} from '../../../src/biometrics/eval/protocol.ts';
import { equalErrorRate, fnmrAtFmr, thresholdAtFmr } from '../../../src/biometrics/eval/rates.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { decodeImage, resampleToDpi } from '../../../src/biometrics/image/index.ts';
import { compareMany } from '../../../src/biometrics/match/index.ts';
import { SHARED_DIR } from '../../shared-data.ts';
import { numOpt, opt } from '../args.ts';
import { fingerBootstrap } from './finger-bootstrap.ts';
import { encodeTiffGray } from './image-io.ts';

const args = process.argv.slice(2);
const dir = args[0];
if (!dir || !fs.existsSync(dir)) {
  console.error('usage: hard-mix-eer.ts DIR [--cache FILE] [--nbis WORKDIR [--bootstrap N]]');
  process.exit(2);
}
const cacheFile = opt('cache');
const nbisDir = opt('nbis');
const bootstrapRounds = numOpt('bootstrap', 0);
const list = listImpressions(fs.readdirSync(dir), 'tif');

function extractAll(): Map<string, MinutiaeSet> {
  if (cacheFile && fs.existsSync(cacheFile)) return new Map(JSON.parse(fs.readFileSync(cacheFile, 'utf8')));
  const out = new Map<string, MinutiaeSet>();
  for (const imp of list) {
    const t = extractMinutiae(
      decodeImage(fs.readFileSync(path.join(dir, `${imp.id}.tif`)), { defaultDpi: 500 }),
    );
    out.set(imp.id, { ...t, minutiae: t.minutiae.map((m) => ({ ...m })) });
  }
  if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify([...out]));
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
function line(name: string, gen: number[], imp: number[]): string {
  return (
    `${name.padEnd(34)} EER ${pct(equalErrorRate(gen, imp)).padStart(7)}  FNMR@FMR1% ${pct(fnmrAtFmr(gen, imp, 0.01)).padStart(7)}  ` +
    `FNMR@FMR0.1% ${pct(fnmrAtFmr(gen, imp, 0.001)).padStart(7)}  (${gen.length} genuine / ${imp.length} impostor)`
  );
}

const templates = extractAll();
// every ordered pair (a before b in list order) once, with each probe's matcher built once
const sets = list.map((i) => templates.get(i.id)!);
const index = new Map(list.map((imp, k) => [imp.id, k]));
const rows = sets.map((probe, k) => compareMany(probe, sets.slice(k + 1)));
const score = (p: Pair) => {
  const a = index.get(p.a.id)!;
  const b = index.get(p.b.id)!;
  return a < b ? rows[a][b - a - 1] : rows[b][a - b - 1];
};
const genPairs = genuinePairs(list);
const fvcImpPairs = impostorPairs(list.filter((i) => i.impression === 1));
const gen = genPairs.map(score);
const impAll = impostorPairs(list).map(score);
const impFvc = fvcImpPairs.map(score);
const meanMinutiae = [...templates.values()].reduce((s, t) => s + t.minutiae.length, 0) / templates.size;
console.log(`${dir}: ${list.length} impressions, ${meanMinutiae.toFixed(1)} minutiae per impression (ours)`);
console.log(line('ektp-bridge, all pairs', gen, impAll));
console.log(line('ektp-bridge, FVC protocol', gen, impFvc));

// which conditions the genuine misses come from, at the all-pairs FMR 0.1% threshold
const condFile = path.join(dir, 'conditions.json');
if (fs.existsSync(condFile)) {
  const cond = JSON.parse(fs.readFileSync(condFile, 'utf8')) as {
    fingersByIndex: Record<string, { marks: string[]; touches: Record<string, string[]> }>;
  };
  const t = thresholdAtFmr(impAll, 0.001);
  const tags = (i: Impression) => {
    const f = cond.fingersByIndex[i.finger];
    return new Set([...(f?.touches[i.impression] ?? []), ...(f?.marks ?? [])]);
  };
  const per = new Map<string, { n: number; miss: number }>();
  genPairs.forEach((p, k) => {
    for (const c of new Set([...tags(p.a), ...tags(p.b)])) {
      const e = per.get(c) ?? { n: 0, miss: 0 };
      e.n++;
      if (gen[k] < t) e.miss++;
      per.set(c, e);
    }
  });
  console.log(
    `  genuine FNMR at FMR 0.1% by condition on either side: ${[...per]
      .sort()
      .map(([c, e]) => `${c} ${pct(e.miss / e.n)} of ${e.n}`)
      .join(', ')}`,
  );
}

if (nbisDir) {
  const tools = path.join(SHARED_DIR, 'tools/nbis');
  fs.mkdirSync(nbisDir, { recursive: true });
  const folders: string[] = [];
  // NBIS assumes 500 dpi: an image that says otherwise (FVC2002 DB2 in the real-hard sets, 569 dpi)
  // goes in resampled, as our extractor resamples it; 500-dpi images go in as symlinks
  const link = (folder: string, id: string) => {
    fs.mkdirSync(folder, { recursive: true });
    const to = path.join(folder, `${id}.tif`);
    if (fs.existsSync(to)) return;
    const from = path.resolve(dir, `${id}.tif`);
    const img = decodeImage(fs.readFileSync(from), { defaultDpi: 500 });
    if (Math.abs(img.dpi - 500) < 1) fs.symlinkSync(from, to);
    else fs.writeFileSync(to, encodeTiffGray(resampleToDpi(img, 500)));
  };
  for (const f of new Set(list.map((i) => i.finger))) {
    const folder = path.join(nbisDir, 'fingers', `f${f}`);
    for (const i of list.filter((x) => x.finger === f)) link(folder, i.id);
    folders.push(folder);
  }
  // impostors: first impressions, in folders of two groups of 20 fingers each, because libfprint's
  // virtual device "overheats" after ~3 minutes of continuous use and then refuses every print
  const firsts = list.filter((x) => x.impression === 1);
  const groups: Impression[][] = [];
  for (let k = 0; k < firsts.length; k += 20) groups.push(firsts.slice(k, k + 20));
  for (let g = 0; g < groups.length; g++) {
    for (let h = g + 1; h < Math.max(groups.length, g + 2); h++) {
      const folder = path.join(nbisDir, `firsts-${g}-${h}`);
      for (const i of [...groups[g], ...(groups[h] ?? [])]) link(folder, i.id);
      folders.push(folder);
    }
  }
  const logs = path.join(nbisDir, 'logs');
  const todo = folders.filter(
    (f) => !fs.existsSync(path.join(logs, `${f.replace(/\//g, '_').replace(/^_/, '')}.log`)),
  );
  if (todo.length)
    execFileSync('bash', [path.join(tools, 'runbench.sh'), logs, ...todo], { stdio: 'inherit' });
  // parse libfprint's logs: a 'PAIR a b' marker, then 'score N/40'; no score = failure = 0
  const nbis = new Map<string, number>();
  let verifies = 0;
  let seconds = 0;
  let refused = 0;
  for (const file of fs.readdirSync(logs)) {
    let cur: string | undefined;
    for (const l of fs.readFileSync(path.join(logs, file), 'utf8').split('\n')) {
      if (l.startsWith('PAIR ')) {
        const [, a, b] = l.split(/\s+/);
        cur = `${a.replace('.tif', '')}|${b.replace('.tif', '')}`;
        nbis.set(cur, 0);
      } else if (cur && / score (-?\d+)\//.test(l)) {
        nbis.set(cur, Number(/ score (-?\d+)\//.exec(l)![1]));
        cur = undefined;
      } else if (l.startsWith('FTE ') || l.startsWith('VERR ')) {
        refused++;
      } else if (l.startsWith('DONE')) {
        const m = /DONE (\d+) verifies in ([\d.]+)s/.exec(l);
        if (m) {
          verifies += Number(m[1]);
          seconds += Number(m[2]);
        }
      }
    }
  }
  const nb = (p: Pair) => nbis.get(`${p.a.id}|${p.b.id}`) ?? nbis.get(`${p.b.id}|${p.a.id}`) ?? 0;
  console.log(line('NBIS (libfprint), FVC protocol', genPairs.map(nb), fvcImpPairs.map(nb)));
  console.log(
    `  NBIS: ${verifies} verifications in ${seconds.toFixed(0)} s (enrolments included); ${refused} enrolments or verifications refused (scored 0)`,
  );
  if (bootstrapRounds > 0) {
    const b = fingerBootstrap(genPairs, fvcImpPairs, [score, nb], bootstrapRounds);
    const iv = ([lo, hi]: [number, number], f: (x: number) => string) => `${f(lo)}..${f(hi)}`;
    console.log(
      `  90% interval over fingers (${bootstrapRounds} finger resamples), FVC protocol: ours EER ${iv(b.eer[0], pct)}, ` +
        `NBIS EER ${iv(b.eer[1], pct)}, ours/NBIS ${iv(b.ratio, (x) => `${x.toFixed(2)}x`)}`,
    );
  }
}
