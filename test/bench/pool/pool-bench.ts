/**
 * Matcher pool figures: pool overhead per job, extraction and 1:1 latency through the pool, and 1:N
 * throughput with the gallery sharded over the threads, against the same work in-process.
 * Run: npx tsx test/bench/pool/pool-bench.ts [--threads N] [--gallery N] [--preload]
 * (also works as `node --import tsx test/bench/pool/pool-bench.ts`, which is how the daemon runs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { compareMany } from '../../../src/biometrics/match/index.ts';
import { defaultThreadCount, MatchPool } from '../../../src/biometrics/pool/index.ts';
import { FVC_DIR } from '../../shared-data.ts';
import { flag, numOpt } from '../args.ts';

const db1 = path.join(FVC_DIR, 'DB1_B');
const threads = numOpt('threads', defaultThreadCount());
const gallerySize = numOpt('gallery', 5000);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

const templates: MinutiaeSet[] = [];
for (let f = 101; f <= 110; f++) {
  for (let i = 1; i <= 8; i++)
    templates.push(decodeIso19794_2(new Uint8Array(readFileSync(`${db1}/${f}_${i}.iso`))));
}
// Distinct objects, as a real gallery has: the matcher caches prepared templates per object.
const gallery = Array.from({ length: gallerySize }, (_, i) => ({ ...templates[i % templates.length] }));
const probe = templates[0];
const tiffs = Array.from({ length: 8 }, (_, i) => readFileSync(`${db1}/10${1 + i}_1.tif`));

const preload = flag('preload');
const started = process.hrtime.bigint();
const pool = new MatchPool({ threads, preload });
console.log(`threads ${threads}, gallery ${gallerySize}, preload ${preload}, node ${process.version}`);

// Warm up: workers start, load tsx and the modules.
await Promise.all(Array.from({ length: threads }, () => pool.compare(probe, templates[1])));
console.log(`first compare done ${ms(started).toFixed(0)} ms after the pool was created (cold start)`);

const overhead: number[] = [];
for (let i = 0; i < 200; i++) {
  const t0 = process.hrtime.bigint();
  await pool.compare(templates[2], templates[3]);
  overhead.push(ms(t0));
}
console.log(`pool 1:1 compare round trip: median ${median(overhead).toFixed(3)} ms`);

const inProcExtract: number[] = [];
const poolExtract: number[] = [];
for (const t of tiffs) {
  let t0 = process.hrtime.bigint();
  extractMinutiae(decodeImage(t));
  inProcExtract.push(ms(t0));
  const img = decodeImage(t);
  t0 = process.hrtime.bigint();
  await pool.extract(img);
  poolExtract.push(ms(t0));
}
console.log(
  `extract 388x374: in-process median ${median(inProcExtract).toFixed(1)} ms, through pool ${median(poolExtract).toFixed(1)} ms`,
);

let t0 = process.hrtime.bigint();
compareMany(probe, gallery);
const inProcCold = ms(t0);
t0 = process.hrtime.bigint();
compareMany(templates[1], gallery);
const inProcWarm = ms(t0);
// First call packs the gallery (cached per array); report it apart from the steady state.
t0 = process.hrtime.bigint();
await pool.compareMany(probe, gallery);
const firstPool = ms(t0);
const steady: number[] = [];
for (let i = 0; i < 5; i++) {
  t0 = process.hrtime.bigint();
  await pool.compareMany(templates[i + 1], gallery);
  steady.push(ms(t0));
}
const s = median(steady);
console.log(
  `1:${gallerySize}: in-process one thread first ${inProcCold.toFixed(0)} ms, then ${inProcWarm.toFixed(0)} ms; ` +
    `pool first call ${firstPool.toFixed(0)} ms, ` +
    `steady median ${s.toFixed(0)} ms (${Math.round((gallerySize / s) * 1000)} comparisons/s)`,
);

// Main-thread responsiveness during a 1:N: the longest gap between 1 ms timer ticks.
let last = performance.now();
let worstGap = 0;
const timer = setInterval(() => {
  const now = performance.now();
  worstGap = Math.max(worstGap, now - last);
  last = now;
}, 1);
await pool.compareMany(templates[7], gallery);
clearInterval(timer);
console.log(`main-thread event-loop worst gap during a pooled 1:${gallerySize}: ${worstGap.toFixed(1)} ms`);
console.log('stats', pool.stats());
await pool.close();
