/**
 * 1:N through the MatchPool on a registered gallery (loadGallery / identify), printed, never asserted:
 * wall-clock comparisons/s per search (gallery size / search time) and comparisons per second of CPU
 * time of the whole process (all threads), which on a shared machine says more than the wall
 * figure; each for the exhaustive search and with the shortlist stage (docs/matching.md).
 *
 * Without --set the gallery is the 320 FVC2002 .iso templates repeated (speed only). With --set FILE
 * (test/bench/pool/identify-set.ts: distinct synthetic fingers, probes with a known mate) it also
 * prints top-1 accuracy of both searches on the same probes, and how often the stage cut a mate.
 * --in-process first runs the searches on the main thread, for the matcher's own cost.
 *   npx tsx test/bench/pool/identify-bench.ts [--gallery 20000] [--threads 2] [--rounds 10] [--in-process]
 *       [--set /tmp/ektp-identify-set.jsonl [--probes 100]] [--fraction 0.05] [--fuse-top 10]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { ProbeMatcher, prepareTemplate } from '../../../src/biometrics/match/index.ts';
import { type IdentifyOptions, MatchPool } from '../../../src/biometrics/pool/index.ts';
import { FVC_DIR } from '../../shared-data.ts';
import { flag, numOpt, opt } from '../args.ts';
import { readIdentifySet } from './identify-set.ts';

const root = FVC_DIR;
if (!existsSync(root)) {
  console.error(`dataset not found at ${root}: nothing to measure`);
  process.exit(0);
}
const gallerySize = numOpt('gallery', 20000);
const threads = numOpt('threads', availableParallelism());
const fraction = numOpt('fraction', 0.05);
/** per thread, shortlisted entries given the fused score (IdentifyOptions.fuseTop; 0 = all) */
const fuseTop = numOpt('fuse-top', 10);
const setFile = opt('set');
const templates: MinutiaeSet[] = [];
for (const set of ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B']) {
  const dir = path.join(root, set);
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.iso'))
    .sort())
    templates.push(decodeIso19794_2(new Uint8Array(readFileSync(path.join(dir, f)))));
}
let gallery: MinutiaeSet[];
let probes: MinutiaeSet[];
/** gallery index of each probe's finger, when the set says */
let mates: number[] | undefined;
if (setFile) {
  const set = readIdentifySet(setFile, gallerySize, 200);
  if (!set) {
    console.error(`no identify set in ${setFile}: make one with test/bench/pool/identify-set.ts`);
    process.exit(2);
  }
  gallery = set.gallery;
  // --probes N: every k-th probe only, for a quicker run (the exhaustive fused search is slow)
  const step = Math.max(1, Math.floor(set.probes.length / numOpt('probes', set.probes.length)));
  const chosen = set.probes.filter((_, k) => k % step === 0);
  probes = chosen.map((p) => p.set);
  mates = chosen.map((p) => p.mate);
  console.log(
    `identify set ${setFile}: ${set.mirroredFrom} distinct synthetic fingers, ${gallerySize - set.mirroredFrom} mirrored copies, ${probes.length} probes (hard-mix touches)`,
  );
} else {
  gallery = Array.from({ length: gallerySize }, (_, i) => ({ ...templates[i % templates.length] }));
  probes = Array.from({ length: numOpt('rounds', 10) }, (_, r) => templates[(r * 13 + 2) % templates.length]);
}
const rounds = probes.length;
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, ${threads} threads, gallery ${gallerySize}, ${rounds} searches per mode`,
);

if (flag('in-process')) {
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
const argmax = (xs: Float64Array): number => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);

async function measure(name: string, options: IdentifyOptions): Promise<number[]> {
  const wall: number[] = [];
  const top: number[] = [];
  let compared = 0;
  let fused = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (const probe of probes) {
    const t = performance.now();
    const scores = await pool.identify('bench', probe, undefined, options);
    wall.push(performance.now() - t);
    compared += pool.identifyStats().compared;
    fused += pool.identifyStats().fused;
    top.push(argmax(scores));
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const sorted = [...wall].sort((a, b) => a - b);
  const rate = (ms: number) => Math.round((gallerySize / ms) * 1000);
  const median = sorted[Math.floor(rounds / 2)];
  console.log(
    `${name}: median ${median.toFixed(1)} ms = ${rate(median)} comparisons/s, best ${rate(sorted[0])} /s, mean ${rate(elapsed / rounds)} /s; ` +
      `${Math.round(compared / rounds)} full comparisons per search, ${Math.round(fused / rounds)} of them fused; ` +
      `${Math.round((gallerySize * rounds) / ((cpu.user + cpu.system) / 1e6))} per CPU-second (${(((cpu.user + cpu.system) / 1000 / elapsed) * 100).toFixed(0)}% of one core busy; ` +
      `load average ${loadavg()[0].toFixed(1)} at the end)`,
  );
  if (mates) {
    const hits = top.filter((t, k) => t === mates![k]).length;
    console.log(`${name}: top-1 ${hits} of ${rounds} probes (${((100 * hits) / rounds).toFixed(1)}%)`);
  }
  return top;
}

try {
  let t0 = performance.now();
  const loading = pool.loadGallery('bench', gallery);
  console.log(`loadGallery, main thread (packing): ${(performance.now() - t0).toFixed(1)} ms`);
  await loading;
  console.log(`loadGallery, until the workers prepared it: ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  await pool.identify('bench', templates[0]);
  console.log(`first identify: ${(performance.now() - t0).toFixed(0)} ms`);
  await pool.identify('bench', templates[1], undefined, { shortlist: false });
  const exhaustive = await measure('exhaustive', { shortlist: false });
  const shortlisted = await measure(`shortlist ${(fraction * 100).toFixed(0)}%`, {
    shortlist: true,
    shortlistFraction: fraction,
    fuseTop,
  });
  if (mates) {
    const lost = exhaustive.filter((t, k) => t === mates![k] && shortlisted[k] !== t).length;
    const gained = exhaustive.filter((t, k) => t !== mates![k] && shortlisted[k] === mates![k]).length;
    console.log(
      `probes the exhaustive search got right and the shortlist lost: ${lost}; the reverse: ${gained}`,
    );
  }
} finally {
  await pool.close();
}
