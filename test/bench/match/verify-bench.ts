/**
 * Verify compute as the counter waits for it, printed (never asserted):
 *
 *  1. first vs next: a fresh MatchPool built as the daemon builds it (default threads, preload,
 *     warmUp() at start), then verify compute timed on the first call and on the next ones; the same
 *     without warmUp() for comparison.
 *  2. side by side with NBIS in one run, on the same images: ours = extraction of the live image +
 *     comparison with the card's two templates (the commercial .iso of the enrolled impression and of
 *     another finger), through the warm pool; NBIS = mindtct on the live image + bozorth3 against
 *     the enrolled print, through Debian's libfprint (test/bench/match/nbis-verify.py), enrolment not
 *     timed. Both run interleaved in blocks so that the machine's load hits both alike. Also timed:
 *     an attempt whose first live view does not match, which extracts and compares the second view
 *     too (extract/live-views.ts; a matching attempt stops after the first).
 *
 *   npx tsx test/bench/match/verify-bench.ts [--set DB1_B] [--pairs 80] [--no-nbis]
 * NBIS needs Debian's libfprint and its Python bindings: bash scripts/install-nbis-tools.sh
 */
import { spawnSync } from 'node:child_process';

import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { median, percentile } from '../../../src/biometrics/eval/rates.ts';
import { defaultThreadCount, MatchPool } from '../../../src/biometrics/pool/index.ts';
import { flag, numOpt, opt } from '../args.ts';
import {
  datasetPresent,
  FVC_DIR,
  type FvcSet,
  imageNames,
  readFvcImage,
  readIsoMinutiae,
} from '../extract/dataset.ts';

if (!datasetPresent()) {
  console.log('FVC2002 data not found under ../shared/datasets/fvc2002-b: nothing to measure');
  process.exit(0);
}
const set = (opt('set') ?? 'DB1_B') as FvcSet;
const pairCount = numOpt('pairs', 80);
const f1 = (x: number) => x.toFixed(1);
console.log(
  `node ${process.version}, ${availableParallelism()} cores, pool threads ${defaultThreadCount()} (daemon default), load average ${loadavg().map(f1).join(' ')}`,
);

const names = imageNames(set);
const images = new Map(names.map((n) => [n, readFvcImage(set, n)]));
const card = (name: string): MinutiaeSet => {
  const img = images.get(name)!;
  return {
    width: img.width,
    height: img.height,
    dpiX: img.dpi,
    dpiY: img.dpi,
    quality: 0,
    fingerPosition: 0,
    minutiae: readIsoMinutiae(set, name, img.width, img.height),
  };
};
/** (enrolled, live) pairs: consecutive impressions of a finger, cycling through the set */
const pairs: [string, string][] = [];
for (let k = 0; pairs.length < pairCount; k++) {
  const a = names[k % names.length];
  const [f, i] = a.split('_');
  pairs.push([a, `${f}_${(Number(i) % 8) + 1}`]);
}
/** another finger's template: the card's second finger */
const other = (a: string) => names[(names.indexOf(a) + 8) % names.length];

interface Timing {
  wall: number;
  /** CPU time of this process, all threads (the pool's workers included), ms */
  cpu: number;
}

/** One attempt's compute; `views` 2: the first view did not match, so the second is scored too. */
async function verifyCompute(
  pool: MatchPool,
  [enrolled, live]: [string, string],
  views = 1,
): Promise<Timing> {
  const img = images.get(live)!;
  // the capture service hands the pool a fresh image whose pixels it moves to the worker
  const fresh: GrayImage = { ...img, pixels: img.pixels.slice() };
  const cardSide = [card(enrolled), card(other(enrolled))];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // the capture service keeps a copy of the image for the other views (finger.verify)
  const kept = views > 1 ? { ...img, pixels: img.pixels.slice() } : undefined;
  const extraction = await pool.extract(fresh);
  await pool.compareMany(extraction, cardSide);
  if (kept) await pool.compareMany(await pool.extract(kept, undefined, 1), cardSide);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}
const walls = (t: Timing[]) => t.map((x) => x.wall);
const stats = (t: Timing[]) =>
  `median ${f1(median(walls(t)))} ms wall (p95 ${f1(percentile(walls(t), 95))}, min ${f1(Math.min(...walls(t)))}), median ${f1(median(cpus(t)))} ms CPU (min ${f1(Math.min(...cpus(t)))})`;
const cpus = (t: Timing[]) => t.map((x) => x.cpu);

// --- 1. first vs next ---------------------------------------------------------------------------
for (const warm of [false, true]) {
  const pool = new MatchPool({ preload: true });
  try {
    const t0 = performance.now();
    if (warm) await pool.warmUp();
    else await new Promise((r) => setTimeout(r, 1000)); // the same second to load modules
    const ready = performance.now() - t0;
    const first = await verifyCompute(pool, pairs[0]);
    const next: Timing[] = [];
    for (const p of pairs.slice(1, 21)) next.push(await verifyCompute(pool, p));
    console.log(
      `${warm ? 'with warmUp() at start' : 'no warm-up (1 s idle)  '}: first verify compute ${f1(first.wall)} ms wall / ${f1(first.cpu)} ms CPU, ` +
        `next 20 median ${f1(median(walls(next)))} ms wall / ${f1(median(cpus(next)))} ms CPU` +
        (warm ? ` (warm-up took ${f1(ready)} ms, in the background of the daemon's start)` : ''),
    );
  } finally {
    await pool.close();
  }
}

// --- 2. side by side with NBIS ------------------------------------------------------------------
const nbisScript = path.join(import.meta.dirname, 'nbis-verify.py');
const haveNbis =
  !flag('no-nbis') &&
  spawnSync('/usr/bin/python3', ['-c', 'import gi; gi.require_version("FPrint", "2.0")']).status === 0;
const pool = new MatchPool({ preload: true });
try {
  await pool.warmUp();
  const ours: Timing[] = [];
  const bothViews: Timing[] = [];
  const nbis: Timing[] = [];
  const block = 10;
  for (let b = 0; b < pairs.length; b += block) {
    const chunk = pairs.slice(b, b + block);
    for (const p of chunk) ours.push(await verifyCompute(pool, p));
    for (const p of chunk) bothViews.push(await verifyCompute(pool, p, 2));
    if (!haveNbis) continue;
    const input = chunk
      .map(([a, l]) => `${path.join(FVC_DIR, set, `${a}.tif`)} ${path.join(FVC_DIR, set, `${l}.tif`)}`)
      .join('\n');
    const run = spawnSync('/usr/bin/python3', [nbisScript], {
      input,
      encoding: 'utf8',
      env: { ...process.env, G_MESSAGES_DEBUG: 'libfprint-print' },
    });
    for (const line of run.stdout.split('\n')) {
      const m = /^VERIFY ([\d.]+) ([\d.]+)/.exec(line);
      if (m) nbis.push({ wall: Number(m[1]), cpu: Number(m[2]) });
    }
  }
  console.log(
    `${set}, ${pairs.length} verifications, load average ${loadavg().map(f1).join(' ')}:\n` +
      `  ektp-bridge verify compute (extract live + compare 2 card templates, pool, warm): ${stats(ours)}\n` +
      `  the same when the first live view does not match (+ second view, compared):    ${stats(bothViews)}`,
  );
  if (nbis.length) {
    console.log(
      `  NBIS verification (mindtct live + bozorth3, libfprint virtual_image):           ${stats(nbis)} (${nbis.length} timed)`,
    );
    const ratio = (f: (t: Timing[]) => number[], g: (x: number[]) => number, t = ours) =>
      (g(f(t)) / g(f(nbis))).toFixed(2);
    const min = (x: number[]) => Math.min(...x);
    console.log(
      `  ratio ours / NBIS: medians ${ratio(walls, median)}x wall, ${ratio(cpus, median)}x CPU; ` +
        `minima (the least disturbed by other load) ${ratio(walls, min)}x wall, ${ratio(cpus, min)}x CPU (target <= 0.5x); ` +
        `with the second view, medians ${ratio(walls, median, bothViews)}x wall, ${ratio(cpus, median, bothViews)}x CPU`,
    );
  } else if (!flag('no-nbis')) {
    console.log('  NBIS not measured: libfprint GI bindings missing (bash scripts/install-nbis-tools.sh)');
  }
} finally {
  await pool.close();
}
