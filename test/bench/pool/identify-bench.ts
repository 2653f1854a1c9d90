/**
 * 1:N through the MatchPool on a registered gallery (loadGallery / identify), printed, never asserted:
 * wall-clock comparisons/s per search and comparisons per second of CPU time of the whole process
 * (all threads), which on a shared machine says more than the wall figure. --in-process first runs
 * the same searches on the main thread, for the matcher's own cost per comparison.
 *   npx tsx test/bench/pool/identify-bench.ts [--gallery 20000] [--threads 2] [--rounds 10] [--in-process]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { ProbeMatcher, prepareTemplate } from '../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { FVC_DIR } from '../../shared-data.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const root = FVC_DIR;
if (!existsSync(root)) {
  console.error(`dataset not found at ${root}: nothing to measure`);
  process.exit(0);
}
const gallerySize = arg('gallery', 20000);
const threads = arg('threads', availableParallelism());
const rounds = arg('rounds', 10);
const templates: MinutiaeSet[] = [];
for (const set of ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B']) {
  const dir = path.join(root, set);
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.iso'))
    .sort())
    templates.push(decodeIso19794_2(new Uint8Array(readFileSync(path.join(dir, f)))));
}
const gallery = Array.from({ length: gallerySize }, (_, i) => ({ ...templates[i % templates.length] }));
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, ${threads} threads, gallery ${gallerySize}`,
);

const probes = Array.from({ length: rounds }, (_, r) => templates[(r * 13 + 2) % templates.length]);
if (process.argv.includes('--in-process')) {
  // the same searches on this thread, for the CPU cost of the matcher alone
  const prepared = gallery.map(prepareTemplate);
  const cpu0 = process.cpuUsage();
  let sink = 0;
  for (const probe of probes) {
    const m = new ProbeMatcher(prepareTemplate(probe));
    for (const c of prepared) sink += m.score(c);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `in-process, one thread: ${Math.round((gallerySize * rounds) / ((cpu.user + cpu.system) / 1e6))} comparisons per CPU-second [${sink > 0}]`,
  );
}

const pool = new MatchPool({ threads, preload: true });
try {
  let t0 = performance.now();
  const loading = pool.loadGallery('bench', gallery);
  console.log(`loadGallery, main thread (packing): ${(performance.now() - t0).toFixed(1)} ms`);
  await loading;
  console.log(`loadGallery, until the workers prepared it: ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  await pool.identify('bench', templates[0]);
  console.log(`first identify: ${(performance.now() - t0).toFixed(0)} ms`);
  await pool.identify('bench', templates[1]);
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    await pool.identify('bench', probes[r]);
    wall.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const sorted = [...wall].sort((a, b) => a - b);
  const rate = (ms: number) => Math.round((gallerySize / ms) * 1000);
  console.log(
    `identify: median ${sorted[Math.floor(rounds / 2)].toFixed(1)} ms = ${rate(sorted[Math.floor(rounds / 2)])} comparisons/s, best ${rate(sorted[0])} /s`,
  );
  console.log(
    `CPU time of all threads: ${(((cpu.user + cpu.system) / 1000 / elapsed) * 100).toFixed(0)}% of one core busy, ${Math.round((gallerySize * rounds) / ((cpu.user + cpu.system) / 1e6))} comparisons per CPU-second`,
  );
} finally {
  await pool.close();
}
