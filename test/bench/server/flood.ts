/**
 * The daemon's memory under abuse (issue 11 item 1): starts `ektp-bridge serve --simulate` as a
 * child process on a free loopback port and prints its peak RSS (VmHWM, and the highest VmRSS
 * sampled in each phase, from /proc/PID/status) under
 *   (a) a flood of system.info batches from clients that never read,
 *   (b) many connections: WebSocket upgrades from many origins and idle half-open sockets,
 *   (c) a mixed load: (a) and (b) at once while a well-behaved counter reads cards with tickets,
 * with the limits that held it (the daemon's defaults, `connections.*` in the config).
 * Loopback only; about 70 s. Run: npm run bench:flood [-- --seconds 15 --flooders 16]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { loadConfig } from '../../../src/config/index.ts';
import { loadDevBackend } from '../../../src/security/dev-backend.ts';
import { BIN, freePort } from '../../e2e/helpers.ts';
import { numOpt } from '../args.ts';

const PHASE_S = numOpt('seconds', 15);
const FLOODERS = numOpt('flooders', 16);
const ORIGINS = Array.from({ length: 12 }, (_, i) => `https://counter-${i}.example.go.id`);
const LIMIT_MB = 600;

interface Daemon {
  proc: ChildProcess;
  port: number;
  dataDir: string;
}

async function startDaemon(): Promise<Daemon> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ektp-flood-'));
  const proc = spawn(process.execPath, [BIN, 'serve', '--simulate'], {
    env: {
      ...process.env,
      EKTP_BRIDGE_PORT: String(port),
      EKTP_BRIDGE_HOSTS: '["127.0.0.1"]',
      EKTP_BRIDGE_DATADIR: dataDir,
      EKTP_BRIDGE_LOGLEVEL: 'warn',
      EKTP_BRIDGE_SECURITY_ALLOWEDORIGINS: JSON.stringify(ORIGINS),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr!.resume();
  const deadline = Date.now() + 30_000;
  while (!(await healthAnswers(port))) {
    if (proc.exitCode !== null) throw new Error('daemon exited at start');
    if (Date.now() > deadline) throw new Error('daemon did not start');
    await sleep(100);
  }
  return { proc, port, dataDir };
}

function healthAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.status === 200 || r.status === 503,
    () => false,
  );
}

/** kB figures from /proc/PID/status */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

const MB = (kb: number) => (kb / 1024).toFixed(0);

/** A client that sends system.info batches as fast as the daemon reads them and never reads. */
function flooder(port: number, origin: string, stats: { sent: number; closed: number; refused: number }) {
  let ws: WebSocket | undefined;
  let stopped = false;
  let id = 0;
  const batch = () =>
    JSON.stringify(Array.from({ length: 20 }, () => ({ jsonrpc: '2.0', id: id++, method: 'system.info' })));
  const connect = () => {
    if (stopped) return;
    const w = new WebSocket(`ws://127.0.0.1:${port}/v1`, { origin });
    ws = w;
    w.on('open', () => {
      // biome-ignore lint/suspicious/noExplicitAny: the raw socket, so that nothing is ever read
      (w as any)._socket.pause();
      const pump = () => {
        if (stopped || w.readyState !== WebSocket.OPEN) return;
        // only as fast as the daemon reads us (our own memory stays small), and in bursts, so
        // that a socket the kernel drains at once does not keep this loop from yielding
        for (let k = 0; k < 64 && w.bufferedAmount < 256 * 1024; k++) {
          w.send(batch());
          stats.sent++;
        }
        setTimeout(pump, 5);
      };
      pump();
    });
    w.on('unexpected-response', () => {
      stats.refused++;
      w.terminate();
    });
    w.on('error', () => {});
    w.on('close', () => {
      stats.closed++;
      setTimeout(connect, 50);
    });
  };
  connect();
  return () => {
    stopped = true;
    ws?.terminate();
  };
}

/** Many upgrades from many origins, kept open and silent; plus half-open sockets that never finish their headers. */
async function connectionStorm(port: number, stats: { open: number; refused: number; halfOpen: number }) {
  const sockets: WebSocket[] = [];
  const raw: Socket[] = [];
  let stopped = false;
  const upgrades = async () => {
    while (!stopped) {
      for (const origin of ORIGINS) {
        const w = new WebSocket(`ws://127.0.0.1:${port}/v1`, { origin });
        w.on('open', () => {
          stats.open++;
          // biome-ignore lint/suspicious/noExplicitAny: silent and never reading (pings unanswered)
          (w as any)._socket.pause();
        });
        w.on('unexpected-response', () => {
          stats.refused++;
          w.terminate();
        });
        w.on('error', () => {});
        sockets.push(w);
      }
      for (let i = 0; i < 20; i++) {
        const s = netConnect(port, '127.0.0.1', () => {
          stats.halfOpen++;
          s.write(`GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
        });
        s.on('error', () => {});
        raw.push(s);
      }
      await sleep(200);
      // keep the bench's own socket count bounded
      for (const w of sockets.splice(0, Math.max(0, sockets.length - 600))) w.terminate();
      for (const s of raw.splice(0, Math.max(0, raw.length - 600))) s.destroy();
    }
  };
  const running = upgrades();
  return async () => {
    stopped = true;
    await running;
    for (const w of sockets) w.terminate();
    for (const s of raw) s.destroy();
  };
}

/** A counter that behaves: card.read with a fresh ticket, system.info in between; latencies in ms. */
async function goodCounter(
  d: Daemon,
  results: { reads: number; errors: Record<string, number>; infoMs: number[] },
) {
  const origin = `http://127.0.0.1:${d.port}`;
  const dev = await loadDevBackend(d.dataDir);
  const ws = new WebSocket(`ws://127.0.0.1:${d.port}/v1`, { origin });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (m: { result?: unknown; error?: { data: { reason: string } } }) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  });
  let id = 0;
  const call = (method: string, params: unknown) =>
    new Promise<{ result?: unknown; error?: { data: { reason: string } } }>((resolve) => {
      const my = id++;
      waiting.set(my, resolve);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: my, method, params }));
    });
  let stopped = false;
  const loop = (async () => {
    while (!stopped && ws.readyState === WebSocket.OPEN) {
      const t = performance.now();
      await call('system.info', {});
      results.infoMs.push(performance.now() - t);
      const ticket = await dev.mint({ op: 'card.read', scope: ['biodata', 'photo'], origin });
      const r = await call('card.read', { ticket });
      if (r.error) results.errors[r.error.data.reason] = (results.errors[r.error.data.reason] ?? 0) + 1;
      else results.reads++;
    }
  })();
  return async () => {
    stopped = true;
    await Promise.race([loop, sleep(5000)]);
    ws.close();
  };
}

async function phase(d: Daemon, name: string, run: () => Promise<() => Promise<string>>) {
  const pid = d.proc.pid!;
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memory(pid).rss);
    } catch {
      // the daemon died: reported below
    }
  }, 100);
  const stop = await run();
  await sleep(PHASE_S * 1000);
  const detail = await stop();
  await sleep(1500);
  clearInterval(sampler);
  const alive = d.proc.exitCode === null && (await healthAnswers(d.port));
  const { rss, hwm } = alive ? memory(pid) : { rss: 0, hwm: 0 };
  console.log(
    `${name.padEnd(28)} peak RSS in phase ${MB(peakRss).padStart(4)} MB | VmHWM so far ${MB(hwm).padStart(4)} MB | RSS after ${MB(rss).padStart(4)} MB | alive: ${alive ? 'yes' : 'NO'}`,
  );
  console.log(`${''.padEnd(28)} ${detail}`);
  return { peakRss, hwm, alive };
}

async function main() {
  const limits = loadConfig({ env: {} }).connections;
  console.log(
    `ektp-bridge flood bench: ${PHASE_S} s per phase, ${FLOODERS} non-reading flooders, ${ORIGINS.length} extra origins`,
  );
  console.log(
    `limits (defaults): queue ${limits.maxQueuedBytes / 1048576} MiB / ${limits.maxQueuedMessages} messages per client, ` +
      `in flight ${limits.maxInFlight}, operations ${limits.maxOperations}, batch ${limits.maxBatch}, ` +
      `connections ${limits.maxPerOrigin}/origin ${limits.maxTotal} total, idle ${limits.idleTimeoutMs / 1000} s, ` +
      `handshake ${limits.handshakeTimeoutMs / 1000} s`,
  );
  const d = await startDaemon();
  console.log(`daemon pid ${d.proc.pid}, port ${d.port}, RSS at start ${MB(memory(d.proc.pid!).rss)} MB`);
  const results = [];
  try {
    results.push(
      await phase(d, '(a) non-reading flood', async () => {
        const stats = { sent: 0, closed: 0, refused: 0 };
        const stops = Array.from({ length: FLOODERS }, (_, i) =>
          flooder(d.port, ORIGINS[i % ORIGINS.length], stats),
        );
        return async () => {
          for (const s of stops) s();
          return `${stats.sent} batches of 20 sent, ${stats.closed} flooders closed by the daemon (4008), ${stats.refused} upgrades refused (429)`;
        };
      }),
    );
    results.push(
      await phase(d, '(b) many connections', async () => {
        const stats = { open: 0, refused: 0, halfOpen: 0 };
        const stop = await connectionStorm(d.port, stats);
        return async () => {
          await stop();
          return `${stats.open} upgrades accepted, ${stats.refused} refused (429), ${stats.halfOpen} half-open sockets`;
        };
      }),
    );
    results.push(
      await phase(d, '(c) mixed', async () => {
        const fstats = { sent: 0, closed: 0, refused: 0 };
        const cstats = { open: 0, refused: 0, halfOpen: 0 };
        const good = { reads: 0, errors: {} as Record<string, number>, infoMs: [] as number[] };
        const stopGood = await goodCounter(d, good);
        const stops = Array.from({ length: FLOODERS / 2 }, (_, i) =>
          flooder(d.port, ORIGINS[i % ORIGINS.length], fstats),
        );
        const stopStorm = await connectionStorm(d.port, cstats);
        return async () => {
          for (const s of stops) s();
          await stopStorm();
          await stopGood();
          const ms = good.infoMs.sort((a, b) => a - b);
          const p = (q: number) =>
            ms.length ? ms[Math.min(ms.length - 1, Math.floor(ms.length * q))].toFixed(1) : '-';
          return (
            `good counter: ${good.reads} card.read ok, errors ${JSON.stringify(good.errors)}, system.info p50 ${p(0.5)} ms p99 ${p(0.99)} ms; ` +
            `flood ${fstats.sent} batches, ${fstats.closed} closed; ${cstats.open} upgrades, ${cstats.refused} refused`
          );
        };
      }),
    );
  } finally {
    const hwm = d.proc.exitCode === null ? memory(d.proc.pid!).hwm : 0;
    d.proc.kill('SIGTERM');
    const ok = results.length === 3 && results.every((r) => r.alive) && hwm / 1024 < LIMIT_MB;
    console.log(
      `peak RSS of the daemon over the whole run (VmHWM): ${MB(hwm)} MB; target < ${LIMIT_MB} MB and alive: ${ok ? 'met' : 'NOT met'}`,
    );
    process.exitCode = ok ? 0 : 1;
  }
}

await main();
