/**
 * Start-up and footprint of the packaged daemon, as a branch PC runs it:
 *   npm run bench:footprint [-- path/to/ektp-bridge_<version>_amd64.deb]
 * Without a path it takes dist/ektp-bridge_<version>_amd64.deb, or builds one (zstd) in a temp folder.
 * The package's files are unpacked (dpkg-deb -x) and run from there on the bundled Node: the same
 * files apt installs, without a root. Prints, for `serve` (production mode: no pcscd here, so /health
 * answers 503 "no reader" — the server is up) and `serve --simulate`:
 *   - cold start: process spawn to the first /health answer, median and range of RUNS starts
 *     (the first start of a fresh dataDir makes the device key: reported apart);
 *   - idle RSS: VmRSS of the daemon (main thread + pool workers) IDLE_MS after ready;
 * then the same for the development route (tsx over the sources, what systemd/install.sh ran before),
 * the time to `--version`, and the package's file and installed sizes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const RUNS = Number(process.env.RUNS ?? 5);
const IDLE_MS = Number(process.env.IDLE_MS ?? 5000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function health(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

interface Start {
  readyMs: number;
  rssMiB?: number;
}

/** Starts the daemon, times it to /health, optionally waits idle and reads its RSS, stops it. */
async function startOnce(
  cmd: string[],
  dataDir: string,
  simulate: boolean,
  measureRss: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Start> {
  const port = await freePort();
  const config = join(dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir, port }));
  const args = [...cmd.slice(1), 'serve', '--config', config, ...(simulate ? ['--simulate'] : [])];
  const t0 = performance.now();
  const proc = spawn(cmd[0], args, {
    env: { ...process.env, ...env, EKTP_BRIDGE_LOGLEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => {
    err += d;
  });
  try {
    while (!(await health(port))) {
      if (proc.exitCode !== null) throw new Error(`daemon exited ${proc.exitCode}: ${err}`);
      if (performance.now() - t0 > 60_000) throw new Error(`no /health after 60 s: ${err}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - t0;
    let rss: number | undefined;
    if (measureRss) {
      await new Promise((r) => setTimeout(r, IDLE_MS));
      rss = rssMiB(proc.pid!);
    }
    return { readyMs, rssMiB: rss };
  } finally {
    await stop(proc);
  }
}

/** SIGTERM, then SIGKILL if the daemon has not exited 15 s later. */
async function stop(proc: ReturnType<typeof spawn>): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

/** `compileCache`: run as the unit does, with NODE_COMPILE_CACHE (filled by the first start). */
async function measure(label: string, cmd: string[], simulate: boolean, compileCache = false): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ektp-footprint-'));
  const env = compileCache ? { NODE_COMPILE_CACHE: join(dataDir, 'compile-cache') } : {};
  try {
    await measureIn(label, cmd, simulate, dataDir, env);
  } catch (e) {
    console.log(`${label.padEnd(50)} FAILED: ${(e as Error).message.slice(0, 300)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureIn(
  label: string,
  cmd: string[],
  simulate: boolean,
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const first = await startOnce(cmd, dataDir, simulate, false, env);
  const warm: number[] = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const s = await startOnce(cmd, dataDir, simulate, i === RUNS - 1, env);
    warm.push(s.readyMs);
    if (s.rssMiB !== undefined) rss = s.rssMiB;
  }
  console.log(
    `${label.padEnd(50)} cold start to /health: median ${fmt(median(warm))} ` +
      `(${fmt(Math.min(...warm))}-${fmt(Math.max(...warm))}, first start of a fresh dataDir ${fmt(first.readyMs)}); ` +
      `idle RSS ${rss.toFixed(0)} MiB`,
  );
}

function timeVersion(cmd: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(cmd[0], [...cmd.slice(1), '--version']);
    times.push(performance.now() - t0);
  }
  return median(times);
}

let deb = process.argv[2] ?? join(ROOT, 'dist', `ektp-bridge_${PKG.version}_amd64.deb`);
const scratch = mkdtempSync(join(tmpdir(), 'ektp-footprint-pkg-'));
try {
  if (!existsSync(deb)) {
    console.log(`no ${deb}: building one (zstd) ...`);
    execFileSync(
      process.execPath,
      [join(ROOT, 'scripts/package-deb.mjs'), '--out', scratch, '--compression', 'zstd'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    deb = join(scratch, `ektp-bridge_${PKG.version}_amd64.deb`);
  }
  const unpacked = join(scratch, 'root');
  execFileSync('dpkg-deb', ['-x', deb, unpacked]);
  const installedKiB = Number(
    execFileSync('dpkg-deb', ['-f', deb, 'Installed-Size'], { encoding: 'utf8' }).trim(),
  );
  const lib = join(unpacked, 'usr/lib/ektp-bridge');
  // what /usr/bin/ektp-bridge execs, with the unpacked paths
  const wrapper = readFileSync(join(unpacked, 'usr/bin/ektp-bridge'), 'utf8');
  const flags =
    /exec \S+\/node (.*?)\S+\/app\/main\.mjs/.exec(wrapper)?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
  const packaged = [join(lib, 'node'), ...flags, join(lib, 'app/main.mjs')];
  const sources = [process.execPath, join(ROOT, 'src/cli/bin.js')];

  console.log(`package ${deb}`);
  console.log(
    `  file ${(statSync(deb).size / 1048576).toFixed(1)} MiB; installed ${(installedKiB / 1024).toFixed(0)} MiB ` +
      `(bundled Node ${(statSync(join(lib, 'node')).size / 1048576).toFixed(0)} MiB)`,
  );
  console.log(
    `  ${RUNS} starts each, RSS read ${IDLE_MS} ms after ready; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  console.log(`${'packaged: --version'.padEnd(50)} median ${fmt(timeVersion(packaged))}`);
  console.log(`${'sources through tsx: --version'.padEnd(50)} median ${fmt(timeVersion(sources))}`);
  await measure('packaged, as the unit runs it: serve', packaged, false, true);
  await measure('packaged, no compile cache: serve', packaged, false);
  await measure('packaged, as the unit runs it: serve --simulate', packaged, true, true);
  await measure('sources through tsx: serve', sources, false);
  await measure('sources through tsx: serve --simulate', sources, true);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
