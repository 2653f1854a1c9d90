/**
 * Server overhead figures: JSON-RPC round trips over a real loopback WebSocket against services that
 * answer at once, so what is measured is the server (parse, validate, dispatch, serialise, ws).
 * Run: npx tsx test/bench/server/rpc-roundtrip.ts [calls]
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { loadConfig } from '../../../src/config/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { createServer } from '../../../src/server/index.ts';
import { createMethodRegistry } from '../../../src/server/methods/index.ts';
import { RpcSession } from '../../../src/server/rpc-session.ts';
import type { BridgeServices, Notification } from '../../../src/services/types.ts';

const CALLS = Number(process.argv[2] ?? 5000);
const ORIGIN = 'https://klaim.example.go.id';
const listeners = new Set<(n: Notification) => void>();
const services: BridgeServices = {
  systemInfo: async () => ({ version: '0.1.0', deviceId: 'bench' }),
  deviceList: async () => ({ readers: [], sensors: [] }),
  health: async () => ({ ok: true }),
  cardRead: async (_p, ctx) => {
    ctx.progress('biodata', 50);
    return { card: { nik: '0000000000000000', nama: 'BENCH' }, receipt: 'a.b.c' };
  },
  fingerCapture: async () => ({}),
  fingerVerify: async () => ({}),
  fingerIdentify: async () => ({}),
  onNotification: (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main() {
  const base = loadConfig({ env: {} });
  const server = createServer({
    config: {
      ...base,
      port: 0,
      hosts: ['127.0.0.1'],
      security: { ...base.security, allowedOrigins: [ORIGIN] },
    },
    services,
    logger: silentLogger(),
  });
  const { port } = await server.listen();
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/v1`, { origin: ORIGIN });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const ws = await open();
  const waiting = new Map<number, () => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.id !== undefined) waiting.get(m.id)?.();
  });
  let id = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<void>((resolve) => {
      const i = ++id;
      waiting.set(i, () => {
        waiting.delete(i);
        resolve();
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method, params }));
    });

  for (let i = 0; i < 200; i++) await call('system.info'); // warm-up
  for (const [method, params] of [
    ['system.info', {}],
    ['card.read', { fields: ['biodata'], timeoutMs: 5000 }],
  ] as const) {
    const times: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const s = performance.now();
      await call(method, params);
      times.push(performance.now() - s);
    }
    const total = performance.now() - t0;
    times.sort((a, b) => a - b);
    console.log(
      `${method.padEnd(12)} sequential x${CALLS}: p50 ${pct(times, 0.5).toFixed(3)} ms, p99 ${pct(times, 0.99).toFixed(3)} ms, ` +
        `${Math.round((CALLS / total) * 1000)} calls/s`,
    );
  }

  // Pipelined: 32 requests in flight on one connection.
  {
    const t0 = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (sent < CALLS) {
          sent++;
          await call('system.info');
        }
      }),
    );
    console.log(
      `system.info  pipelined (32 in flight) x${CALLS}: ${Math.round((CALLS / (performance.now() - t0)) * 1000)} calls/s`,
    );
  }

  // Broadcast of one notification to 20 clients.
  {
    const others = await Promise.all(Array.from({ length: 19 }, open));
    const all = [ws, ...others];
    const rounds = 500;
    let got = 0;
    const done = new Promise<void>((resolve) => {
      for (const c of all)
        c.on('message', (d) => {
          if (String(d).includes('card.inserted') && ++got === rounds * all.length) resolve();
        });
    });
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++)
      for (const l of listeners) l({ method: 'card.inserted', params: { reader: 'R' } });
    await done;
    const ms = performance.now() - t0;
    console.log(
      `broadcast to ${all.length} clients x${rounds}: ${((ms / rounds) * 1000).toFixed(0)} µs per notification (all delivered)`,
    );
    for (const c of others) c.close();
  }

  // The session alone (parse, validate, dispatch, serialise), no socket.
  {
    const session = new RpcSession({
      registry: createMethodRegistry(services),
      origin: ORIGIN,
      logger: silentLogger(),
      send: () => {},
    });
    const msg = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'card.read',
      params: { fields: ['biodata', 'photo'] },
    });
    const n = CALLS * 4;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await session.handleMessage(msg);
    console.log(
      `RpcSession.handleMessage(card.read) x${n}: ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs each`,
    );
  }

  ws.close();
  await server.close();
}

await main();
