import { connect as netConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConnectionLimits } from '../../../src/config/types.ts';
import { CLOSE } from '../../../src/server/close-codes.ts';
import type { BridgeServer } from '../../../src/server/index.ts';
import { ALLOWED, rawUpgrade, startServer, TestClient, testConfig } from './helpers.ts';

// Each limit of docs/security.md "Connection limits", over real sockets.

let server: BridgeServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = undefined;
});

async function start(limits: Partial<ConnectionLimits>, closeGraceMs?: number) {
  const base = testConfig();
  const s = await startServer({
    config: { ...base, connections: { ...base.connections, ...limits } },
    closeGraceMs,
  });
  server = s.server;
  return s;
}

async function open(port: number, origin = ALLOWED) {
  const c = await TestClient.open(port, origin);
  sockets.push(c.ws);
  return c;
}

async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const infoBatch = (n: number, from: number) =>
  JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: from + i, method: 'system.info' })),
  );

/**
 * A client that sends batches and never reads: its socket is paused, so the kernel buffers fill
 * and then the daemon's send queue. Sends until the daemon decides to close it (or gives up).
 */
async function floodWithoutReading(c: TestClient, srv: BridgeServer, maxBatches = 50_000): Promise<number> {
  // biome-ignore lint/suspicious/noExplicitAny: the client's raw socket, to stop reading
  (c.ws as any)._socket.pause();
  let sent = 0;
  while (srv.connections().closing.length === 0 && c.ws.readyState === c.ws.OPEN && sent < maxBatches) {
    for (let k = 0; k < 50; k++) c.ws.send(infoBatch(20, sent++ * 20));
    await sleep(1);
  }
  return sent;
}

describe('connection limits: a client that does not read', () => {
  it('is closed with 4008 once its unsent bytes exceed maxQueuedBytes, and its operation is cancelled', async () => {
    // a long grace time: reading the backlog may take a while on a loaded machine
    const { port, services } = await start({ maxQueuedBytes: 65536, maxQueuedMessages: 100_000 }, 15_000);
    const c = await open(port);
    c.request('card.read', {});
    await c.next((m) => m.method === 'operation.progress');
    const op = services.calls.find((x) => x.method === 'card.read')!;
    const closed = new Promise<number>((resolve) => c.ws.on('close', (code) => resolve(code)));

    const batches = await floodWithoutReading(c, server!);
    expect(server!.connections().closing).toEqual(['NOT_READING']);
    expect(batches).toBeGreaterThan(0);
    // cancelled at once, not when the socket finally goes
    expect(op.ctx!.signal.aborted).toBe(true);

    // A client that reads again within the grace time gets the close frame after its backlog.
    // biome-ignore lint/suspicious/noExplicitAny: resume the raw socket paused above
    (c.ws as any)._socket.resume();
    expect(await closed).toBe(CLOSE.NOT_READING.code);
    await until(() => server!.connections().clients === 0, 5000, 'the client to be gone');
  });

  it('is closed once more than maxQueuedMessages wait, even when they are small', async () => {
    const { port } = await start({ maxQueuedBytes: 256 * 1024 * 1024, maxQueuedMessages: 16 });
    const c = await open(port);
    await floodWithoutReading(c, server!);
    expect(server!.connections().closing).toEqual(['NOT_READING']);
    // never resumed: the socket is cut after the grace time, whatever the client does
    await until(() => server!.connections().clients === 0, 3000, 'the socket to be cut');
  });

  it('does not read a connection while maxInFlight of its requests are unanswered', async () => {
    const { port, services } = await start({ maxInFlight: 3 });
    // device.list answers only when the test says so (a service slow to settle)
    const answers: Array<() => void> = [];
    services.deviceList = () =>
      new Promise((resolve) => answers.push(() => resolve({ readers: [], sensors: [] })));
    const c = await open(port);
    const ids = [1, 2, 3].map(() => c.request('device.list'));
    await until(() => answers.length === 3, 3000, 'three requests in flight');
    const infoId = c.request('system.info');
    await sleep(200);
    expect(c.messages.some((m) => m.id === infoId)).toBe(false);
    answers[0]();
    expect((await c.response(ids[0])).result).toEqual({ readers: [], sensors: [] });
    expect((await c.response(infoId)).result).toMatchObject({ deviceId: 'dev-1' });
    for (const a of answers.slice(1)) a();
  });

  it('still reads operation.cancel while long operations run, whatever maxInFlight is', async () => {
    const { port, services } = await start({ maxInFlight: 1, maxOperations: 8 });
    const c = await open(port);
    const ids = ['card.read', 'finger.capture'].map((m) => c.request(m, {}));
    await until(() => services.isPending('finger.capture'), 3000, 'two long operations');
    expect((await c.call('operation.cancel', { requestId: ids[0] })).result).toEqual({ cancelled: true });
    expect((await c.response(ids[0])).error?.data.reason).toBe('CANCELLED');
  });

  it('answers BUSY beyond maxOperations long operations', async () => {
    const { port } = await start({ maxOperations: 1, maxBatch: 3 });
    const c = await open(port);
    c.request('card.read', {});
    await c.next((m) => m.method === 'operation.progress');
    expect((await c.call('finger.capture', {})).error?.data.reason).toBe('BUSY');
  });
});

describe('connection limits: batches', () => {
  it('answers a batch of maxBatch and refuses one more request as a whole', async () => {
    const { port } = await start({ maxBatch: 3 });
    const c = await open(port);
    c.send(infoBatch(3, 1));
    const ok = (await c.next((m) => 'batch' in m)) as unknown as { batch: Array<{ result?: unknown }> };
    expect(ok.batch).toHaveLength(3);
    c.send(infoBatch(4, 10));
    const refused = await c.next((m) => m.error?.data.reason === 'INVALID_REQUEST');
    expect(refused.error?.data.detail).toEqual({ problem: 'a batch holds at most 3 requests' });
  });
});

describe('connection limits: many connections', () => {
  it('refuses one connection too many per Origin and in total with 429, and counts closed ones out', async () => {
    const { port } = await start({ maxPerOrigin: 2, maxTotal: 3 });
    const self = `http://127.0.0.1:${port}`;
    const a = await open(port);
    await open(port);
    const third = await rawUpgrade(port, { Host: `127.0.0.1:${port}`, Origin: ALLOWED });
    expect(third).toBe('HTTP/1.1 429 Too Many Requests\r\n\r\n');
    await open(port, self);
    const overTotal = await rawUpgrade(port, { Host: `127.0.0.1:${port}`, Origin: self });
    expect(overTotal).toBe('HTTP/1.1 429 Too Many Requests\r\n\r\n');

    await a.close();
    await until(() => server!.connections().clients === 2, 3000, 'the close to be counted');
    const again = await open(port);
    expect((await again.call('system.info')).result).toMatchObject({ deviceId: 'dev-1' });
  });
});

describe('connection limits: timeouts', () => {
  it('closes a client silent for idleTimeoutMs (4000) and keeps one that answers pings', async () => {
    const { port } = await start({ idleTimeoutMs: 1000 }, 15_000);
    const live = await open(port);
    const silent = await open(port);
    // biome-ignore lint/suspicious/noExplicitAny: the raw socket, so that pings go unanswered
    (silent.ws as any)._socket.pause();
    await until(() => server!.connections().closing.includes('IDLE'), 3000, 'the idle close');
    // biome-ignore lint/suspicious/noExplicitAny: read again to see the close code
    (silent.ws as any)._socket.resume();
    expect((await silent.closed).code).toBe(CLOSE.IDLE.code);
    await sleep(1500);
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    expect((await live.call('system.info')).result).toMatchObject({ deviceId: 'dev-1' });
  });

  it('closes a connection that does not finish its upgrade headers within handshakeTimeoutMs', async () => {
    const { port } = await start({ handshakeTimeoutMs: 300 });
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const s = netConnect(port, '127.0.0.1', () => {
        s.write(`GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`);
      });
      s.on('error', () => {});
      s.on('close', () => resolve(Date.now() - started));
      s.resume();
      setTimeout(() => reject(new Error('still open after 5 s')), 5000).unref();
    });
    expect(closedAfter).toBeLessThan(2000);
  });
});
