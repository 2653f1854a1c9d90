import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError, ERROR_CODES, ERRORS } from '../../../protocols/errors.ts';
import {
  API_VERSION,
  CONNECTION_REASONS,
  EktpBridgeClient,
  EktpBridgeError,
  isKnownReason,
  KNOWN_REASONS,
  reasonMessages,
} from '../../../src/client/index.ts';
import type { BridgeServer } from '../../../src/server/index.ts';
import { ALLOWED, FakeServices, startServer } from '../server/helpers.ts';

let server: BridgeServer | undefined;
let client: EktpBridgeClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = client = undefined;
});

async function setup(services = new FakeServices()) {
  const s = await startServer({ services });
  server = s.server;
  client = new EktpBridgeClient({ origin: ALLOWED });
  await client.connect(`ws://127.0.0.1:${s.port}/v1`);
  return { port: s.port, services, client };
}

async function until(cond: () => boolean) {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error('condition not met');
}

describe('EktpBridgeClient (Node, ws)', () => {
  it('calls methods with typed results', async () => {
    const { client } = await setup();
    const info = await client.systemInfo();
    expect(info.deviceId).toBe('dev-1');
    expect(await client.deviceList()).toEqual({ readers: [], sensors: [] });
  });

  it('delivers progress to the call and notifications to subscribers', async () => {
    const { client, services } = await setup();
    const seen: string[] = [];
    const inserted: unknown[] = [];
    const off = client.on('card.inserted', (p) => inserted.push(p));
    const call = client.cardRead(
      { fields: ['biodata'] },
      { onProgress: (p) => seen.push(`${p.step}:${p.percent}`) },
    );
    await until(() => services.isPending('card.read'));
    services.emit({ method: 'card.inserted', params: { reader: 'R1' } });
    services.release('card.read', { card: { nik: '3171234567890123' }, receipt: 'a.b.c' });
    const result = await call;
    expect(result.card.nik).toBe('3171234567890123');
    expect(seen).toEqual(['started:10', 'finishing:100']);
    await until(() => inserted.length === 1);
    expect(inserted).toEqual([{ reader: 'R1' }]);
    off();
    services.emit({ method: 'card.inserted', params: { reader: 'R2' } });
    await client.systemInfo();
    expect(inserted).toHaveLength(1);
  });

  it('rejects with EktpBridgeError carrying reason, code, messages and detail', async () => {
    const { client, services } = await setup();
    services.failWith = new BridgeError('FINGER_NOT_MATCHED', undefined, { attempts: 3 });
    const err = await client.fingerVerify({}).catch((e) => e);
    expect(err).toBeInstanceOf(EktpBridgeError);
    expect(err.reason).toBe('FINGER_NOT_MATCHED');
    expect(err.code).toBe(-32014);
    expect(err.messages).toEqual({ id: 'Sidik jari tidak cocok', en: 'Fingerprint does not match' });
    expect(err.detail).toEqual({ attempts: 3 });
    const bad = await client.call('card.read', { fields: ['dna' as never] }).catch((e) => e);
    expect(bad.reason).toBe('INVALID_PARAMS');
  });

  it('cancels with cancel() and with an AbortSignal', async () => {
    const { client, services } = await setup();
    const call = client.fingerCapture({ timeoutMs: 30_000 });
    await until(() => services.isPending('finger.capture'));
    expect(await call.cancel()).toBe(true);
    expect((await call.catch((e) => e)).reason).toBe('CANCELLED');

    const controller = new AbortController();
    const viaSignal = client.fingerVerify({}, { signal: controller.signal });
    await until(() => services.isPending('finger.verify'));
    controller.abort();
    expect((await viaSignal.catch((e) => e)).reason).toBe('CANCELLED');
    expect(typeof viaSignal.requestId).toBe('number');
  });

  it('rejects pending calls with CONNECTION_CLOSED when the daemon goes away', async () => {
    const { client, services } = await setup();
    const closes: number[] = [];
    client.onClose((e) => closes.push(e.code));
    const outcome = client.cardRead().catch((e) => e);
    await until(() => services.isPending('card.read'));
    await server!.close();
    server = undefined;
    expect((await outcome).reason).toBe('CONNECTION_CLOSED');
    expect(closes).toEqual([1001]);
    expect((await client.systemInfo().catch((e) => e)).reason).toBe('CONNECTION_CLOSED');
  });

  it('connect() says ORIGIN_FORBIDDEN when the daemon refuses the Origin, with what branch IT must do', async () => {
    const s = await startServer();
    server = s.server;
    const foreign = new EktpBridgeClient({ origin: 'https://evil.example' });
    const err = await foreign.connect(`ws://127.0.0.1:${s.port}/v1`).catch((e) => e);
    expect(err).toBeInstanceOf(EktpBridgeError);
    expect(err.reason).toBe('ORIGIN_FORBIDDEN');
    expect(err.messages.id).toMatch(/tidak mengizinkan/);
    expect(err.help.en).toMatch(/security\.allowedOrigins/);
    expect(err.detail.closeCode).toBe(1006);
  });

  it('connect() says DAEMON_UNREACHABLE when nothing listens', async () => {
    const { freePort } = await import('../../e2e/helpers.ts');
    const port = await freePort();
    const c = new EktpBridgeClient({ origin: ALLOWED });
    const err = await c.connect(`ws://127.0.0.1:${port}/v1`).catch((e) => e);
    expect(err.reason).toBe('DAEMON_UNREACHABLE');
    expect(err.messages.en).toMatch(/does not answer/);
    expect(err.help.id).toMatch(/systemctl status ektp-bridge/);
  });

  it('connect() resolves with system.info of a daemon of its API version, VERSION_MISMATCH otherwise', async () => {
    const s = await startServer();
    server = s.server;
    client = new EktpBridgeClient({ origin: ALLOWED });
    // the fake daemon's system.info has no apiVersion: a daemon from before the field, API 1
    const info = await client.connect(`ws://127.0.0.1:${s.port}/v1`);
    expect(info.deviceId).toBe('dev-1');

    // a daemon of another major version (a bare JSON-RPC server standing in for it)
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (sock) =>
      sock.on('message', (m) => {
        const req = JSON.parse(String(m));
        sock.send(
          JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { version: '9.0.0', apiVersion: 2 } }),
        );
      }),
    );
    await new Promise((r) => wss.once('listening', r));
    try {
      const c = new EktpBridgeClient({ origin: ALLOWED });
      const err = await c
        .connect(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/v1`)
        .catch((e) => e);
      expect(err.reason).toBe('VERSION_MISMATCH');
      expect(err.detail).toEqual({ sdkApiVersion: API_VERSION, daemonApiVersion: 2, daemonVersion: '9.0.0' });
      expect(c.connected).toBe(false);
    } finally {
      wss.close();
    }
  });

  it('knows every code of protocols/errors.ts and its messages, and passes unknown codes through', () => {
    for (const code of ERROR_CODES) {
      expect(KNOWN_REASONS).toContain(code);
      if (!(code in CONNECTION_REASONS))
        expect(reasonMessages(code)).toEqual({ id: ERRORS[code].id, en: ERRORS[code].en });
    }
    for (const r of ['LOCAL_NETWORK_BLOCKED', 'DAEMON_UNREACHABLE', 'ORIGIN_FORBIDDEN', 'VERSION_MISMATCH'])
      expect(isKnownReason(r)).toBe(true);
    // a daemon that sends no message for a code the SDK knows: the SDK's copy of the vocabulary
    const e = EktpBridgeError.fromWire({ code: -32006, message: 'x', data: { reason: 'CARD_REMOVED' } });
    expect(e.messages).toEqual({ id: ERRORS.CARD_REMOVED.id, en: ERRORS.CARD_REMOVED.en });
    const future = EktpBridgeError.fromWire({
      code: -32099,
      message: 'Later',
      data: { reason: 'SOMETHING_NEW' },
    });
    expect(future.reason).toBe('SOMETHING_NEW');
    expect(isKnownReason(future.reason)).toBe(false);
    expect(future.messages).toEqual({ id: 'Later', en: 'Later' });
  });

  it('works with an injected WebSocket constructor (as a browser would use the global one)', async () => {
    const s = await startServer();
    server = s.server;
    const { default: WS } = await import('ws');
    // A browser-like constructor: (url) only, Origin chosen by "the browser".
    class BrowserLike extends WS {
      constructor(url: string) {
        super(url, { origin: ALLOWED });
      }
    }
    client = new EktpBridgeClient({ WebSocket: BrowserLike as never });
    await client.connect(`ws://127.0.0.1:${s.port}/v1`);
    expect((await client.systemInfo()).version).toBe('0.1.0');
  });
});

describe('connect() in a browser whose Local Network Access refused the daemon', () => {
  it('says LOCAL_NETWORK_BLOCKED from the Permissions API, before asking the daemon anything', async () => {
    const g = globalThis as { navigator?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    const asked: string[] = [];
    Object.defineProperty(globalThis, 'navigator', {
      configurable: true,
      value: {
        permissions: {
          query: async ({ name }: { name: string }) => {
            asked.push(name);
            if (name !== 'loopback-network') throw new TypeError('unknown permission');
            return { state: 'denied' };
          },
        },
      },
    });
    try {
      // a browser's close code 1006 with nothing listening: the permission decides
      const { freePort } = await import('../../e2e/helpers.ts');
      const c = new EktpBridgeClient({ origin: ALLOWED });
      const err = await c.connect(`ws://127.0.0.1:${await freePort()}/v1`).catch((e) => e);
      expect(err.reason).toBe('LOCAL_NETWORK_BLOCKED');
      expect(err.detail).toMatchObject({ permission: 'loopback-network', localNetworkPermission: 'denied' });
      expect(err.help.id).toContain('browser-policy --write');
      expect(asked).toEqual(['loopback-network']);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete g.navigator;
    }
  });

  it('says LOCAL_NETWORK_BLOCKED when the connection hangs while the browser asks the user (prompt)', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', {
      configurable: true,
      value: { permissions: { query: async () => ({ state: 'prompt' }) } },
    });
    // a socket that accepts and never answers the upgrade: what a page sees while a prompt is shown
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as { port: number }).port;
      const c = new EktpBridgeClient({ origin: ALLOWED, connectTimeoutMs: 300 });
      const err = await c.connect(`ws://127.0.0.1:${port}/v1`).catch((e) => e);
      expect(err.reason).toBe('LOCAL_NETWORK_BLOCKED');
      expect(err.detail).toMatchObject({ waitingForUser: true, localNetworkPermission: 'prompt' });
    } finally {
      silent.close();
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });
});
