/**
 * Matcher speed, printed (never asserted): extraction per image, extraction + one comparison at
 * 388x374 (FVC2002 DB1_B), comparisons per second 1:1 and 1:N on one core in-process, and 1:N on all
 * cores through the MatchPool; extraction and verify compute through the pool, warm (warmUp(), as
 * the daemon does at start, and before any 1:N search). Wall-clock figures: on a shared machine,
 * note the load average printed first. First vs next verify and NBIS side by side: verify-bench.ts.
 *   npx tsx test/bench/match/bench.ts [--gallery 20000] [--threads N]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { fvcSetDpi } from '../../../src/biometrics/eval/dataset.ts';
import { median, percentile } from '../../../src/biometrics/eval/rates.ts';
import { isoTemplateOnImage } from '../../../src/biometrics/eval/template-geometry.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { compare, compareMany, ProbeMatcher, prepareTemplate } from '../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { FVC_DIR } from '../../shared-data.ts';
import { numOpt } from '../args.ts';

const root = FVC_DIR;
if (!existsSync(root)) {
  console.error(`dataset not found at ${root}: nothing to measure`);
  process.exit(0);
}
const gallerySize = numOpt('gallery', 20000);
const threads = numOpt('threads', availableParallelism());
const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
console.log(
  `node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map(f1).join(' ')}`,
);

// --- templates: commercial .iso of all four sets; images of DB1_B -------------------------------
const isoAll: MinutiaeSet[] = [];
const db1Images: GrayImage[] = [];
const db1Iso: MinutiaeSet[] = [];
for (const set of ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B']) {
  const dir = path.join(root, set);
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.tif'))
    .sort()) {
    const image = decodeImage(readFileSync(path.join(dir, f)), { defaultDpi: fvcSetDpi(dir) });
    const iso = isoTemplateOnImage(
      decodeIso19794_2(readFileSync(path.join(dir, f.replace('.tif', '.iso')))),
      image,
    );
    isoAll.push(iso);
    if (set === 'DB1_B') {
      db1Images.push(image);
      db1Iso.push(iso);
    }
  }
}

// --- extraction, and extraction + one comparison (a verification), one core ---------------------
const extractMs: number[] = [];
const verifyMs: number[] = [];
const live: MinutiaeSet[] = [];
for (let i = 0; i < db1Images.length; i++) {
  const img = db1Images[i];
  const t0 = performance.now();
  const probe = extractMinutiae(img);
  const t1 = performance.now();
  // the card template is a fresh object every time, as after a card read: nothing cached
  compare(probe, { ...db1Iso[i ^ 1] });
  const t2 = performance.now();
  extractMs.push(t1 - t0);
  verifyMs.push(t2 - t0);
  live.push(probe);
}
console.log(
  `extraction 388x374 (DB1_B, ${db1Images.length} images): median ${f1(median(extractMs))} ms, p95 ${f1(percentile(extractMs, 95))} ms`,
);
console.log(
  `extraction + one comparison: median ${f1(median(verifyMs))} ms, p95 ${f1(percentile(verifyMs, 95))} ms`,
);
console.log(
  `minutiae per template: ours ${f1(live.reduce((s, m) => s + m.minutiae.length, 0) / live.length)}, commercial ${f1(isoAll.reduce((s, m) => s + m.minutiae.length, 0) / isoAll.length)}`,
);

// --- 1:1 in-process: compare() on fresh objects (prepares both sides) and on cached ones ----------
{
  const pairs = 4000;
  let t0 = performance.now();
  for (let k = 0; k < pairs; k++) compare({ ...isoAll[k % 320] }, { ...isoAll[(k * 7 + 3) % 320] });
  const fresh = performance.now() - t0;
  for (const t of isoAll) compare(t, t); // prepare and cache
  t0 = performance.now();
  for (let k = 0; k < pairs; k++) compare(isoAll[k % 320], isoAll[(k * 7 + 3) % 320]);
  const cached = performance.now() - t0;
  console.log(
    `1:1 one core: ${f1((pairs / fresh) * 1000)} /s with both templates prepared per call (${f3((fresh / pairs) * 1000)} µs), ${f1((pairs / cached) * 1000)} /s prepared once (${f3((cached / pairs) * 1000)} µs)`,
  );
  t0 = performance.now();
  for (let k = 0; k < 2000; k++) prepareTemplate(isoAll[k % 320]);
  console.log(`prepare one template: ${f3(((performance.now() - t0) / 2000) * 1000)} µs`);
}

// --- 1:N one core: one ProbeMatcher over a prepared gallery -----------------------------------
const gallery = Array.from({ length: gallerySize }, (_, i) => ({ ...isoAll[i % isoAll.length] }));
{
  const prepared = gallery.map(prepareTemplate);
  const rounds = 3;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const m = new ProbeMatcher(prepareTemplate(isoAll[r * 17]));
    for (const c of prepared) sink += m.score(c);
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const n = rounds * prepared.length;
  console.log(
    `1:N one core: ${f1((n / wall) * 1000)} comparisons/s wall (${f3((wall / n) * 1000)} µs each), ${f1((n / ((cpu.user + cpu.system) / 1000)) * 1000)} /s of CPU time [${sink > 0}]`,
  );
  // compareMany on the gallery objects (WeakMap-cached prepared forms), as the pool's workers do
  compareMany(isoAll[0], gallery);
  const t1 = performance.now();
  compareMany(isoAll[5], gallery);
  console.log(
    `compareMany one core, gallery ${gallerySize}: ${f1((gallerySize / (performance.now() - t1)) * 1000)} /s`,
  );
}

// --- 1:N all cores through the pool: a registered gallery (loadGallery, then identify per probe) ---
{
  const pool = new MatchPool({ threads });
  try {
    // extraction through the pool, warm (as the daemon's pool is after warmUp() at start), before
    // any 1:N search: a search leaves the extraction code cold in the worker that ran it
    let t0 = performance.now();
    await pool.warmUp();
    console.log(`pool warm-up on ${threads} threads: ${f1(performance.now() - t0)} ms`);
    const ext: number[] = [];
    const verify: number[] = [];
    for (let i = 0; i < db1Images.length; i++) {
      const img = db1Images[i];
      const fresh = { ...img, pixels: img.pixels.slice() };
      const card = [{ ...db1Iso[i ^ 1] }, { ...db1Iso[(i + 8) % db1Iso.length] }];
      t0 = performance.now();
      const live = await pool.extract(fresh);
      ext.push(performance.now() - t0);
      await pool.compareMany(live, card);
      verify.push(performance.now() - t0);
    }
    console.log(
      `extraction through the pool, warm (DB1_B, ${db1Images.length} images): median ${f1(median(ext))} ms, p95 ${f1(percentile(ext, 95))} ms (incl. worker hop)`,
    );
    console.log(
      `verify compute through the pool (extract + compare with 2 card templates): median ${f1(median(verify))} ms, p95 ${f1(percentile(verify, 95))} ms`,
    );
    t0 = performance.now();
    await pool.loadGallery('bench', gallery); // workers start and prepare the gallery
    console.log(
      `loadGallery ${gallerySize}, until prepared on ${threads} threads: ${f1(performance.now() - t0)} ms`,
    );
    await pool.identify('bench', isoAll[0]); // warm: the probe path is compiled
    const rounds = 10;
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      t0 = performance.now();
      await pool.identify('bench', isoAll[r * 13 + 1]);
      times.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    const best = Math.min(...times);
    console.log(
      `1:N pool, ${threads} threads, gallery ${gallerySize}: median ${f1(median(times))} ms per search = ${f1((gallerySize / median(times)) * 1000)} comparisons/s (best ${f1((gallerySize / best) * 1000)} /s); ${f1(((rounds * gallerySize) / ((cpu.user + cpu.system) / 1000)) * 1000)} per CPU-second over all threads`,
    );
  } finally {
    await pool.close();
  }
}
