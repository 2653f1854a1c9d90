/**
 * finger.identify's gallery path, printed, never asserted: a gallery of N synthetic entries signed as
 * a backend signs it, verified and decoded as the daemon does (gallery-file.ts), loaded into the
 * match pool (GalleryStore), then searched with live impressions of gallery members: search time
 * (median, p95) and top-1 hits.
 *   npm run bench:gallery -- [--entries 10000] [--threads 2] [--probes 20]
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signGallery } from '../../../packages/verifier/src/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { GalleryStore } from '../../../src/gallery/gallery-store.ts';
import { liveImpression, syntheticEntries } from '../../unit/gallery/synthetic-gallery.ts';
import { numOpt } from '../args.ts';

const size = numOpt('entries', 10_000);
const threads = numOpt('threads', availableParallelism());
const probes = numOpt('probes', 20);

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const entries = syntheticEntries(size, 42);
let t0 = performance.now();
const text = await signGallery(key.privateKey, {
  name: 'bench',
  aud: '*',
  entries: entries.map(({ id, iso }) => ({ id, iso })),
});
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(
      ' ',
    )}, ${threads} threads, ${size} entries, file ${(text.length / 1e6).toFixed(1)} MB, signed in ${(performance.now() - t0).toFixed(0)} ms`,
);
const dir = mkdtempSync(join(tmpdir(), 'gallery-bench-'));
writeFileSync(join(dir, 'bench.gallery'), text);
const pool = new MatchPool({ threads, preload: true });
const store = new GalleryStore({
  dir,
  keys: [key.publicKey],
  deviceId: 'bench',
  limits: { maxEntries: size, maxFileBytes: 1 << 30 },
  pool,
  log: () => {},
});
try {
  t0 = performance.now();
  await store.loadFile(join(dir, 'bench.gallery'));
  console.log(
    `verify + decode + load into the pool (workers prepared): ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const times: number[] = [];
  let hits = 0;
  const cpu0 = process.cpuUsage();
  for (let p = 0; p < probes; p++) {
    const who = (p * 7919) % size;
    const probe = liveImpression(entries[who].set, p + 1);
    const t = performance.now();
    const [top] = (await store.identify('bench', probe, 5)).candidates;
    times.push(performance.now() - t);
    if (top.id === entries[who].id) hits++;
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))];
  console.log(
    `identify over ${size} entries: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${Math.round(size / (median / 1000))} comparisons/s); top-1 ${hits}/${probes}`,
  );
  // on a shared machine the wall figure says more about the neighbours than about us
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `CPU time of all threads: ${Math.round((size * probes) / cpuSeconds)} comparisons per CPU-second`,
  );
} finally {
  store.close();
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
}
