import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ERROR_CODES } from '../../../protocols/errors.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { type BridgeServer, createServer } from '../../../src/server/index.ts';
import { createMethodRegistry } from '../../../src/server/methods/index.ts';
import { RpcSession } from '../../../src/server/rpc-session.ts';
import type { BridgeServices, OperationContext } from '../../../src/services/types.ts';
import { ALLOWED, testConfig } from './helpers.ts';

/** Services that answer at once (the fuzzer must never wait on a device). */
const instant: BridgeServices = {
  systemInfo: async () => ({ version: 'x' }),
  deviceList: async () => ({ readers: [] }),
  health: async () => ({ ok: true }),
  cardRead: async (_p, ctx: OperationContext) => {
    ctx.progress('read', 50);
    return { card: {} };
  },
  fingerCapture: async () => ({ quality: 1 }),
  fingerVerify: async () => ({ matched: false }),
  fingerIdentify: async () => ({ candidates: [] }),
  onNotification: () => () => {},
};

const METHODS = [
  'system.info',
  'device.list',
  'card.read',
  'finger.capture',
  'finger.verify',
  'finger.identify',
  'operation.cancel',
];

/** Mostly-plausible requests: right shape, random method names, ids and params. */
const requestLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue()),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue()),
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string(), fc.jsonValue()),
    params: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'fields',
          'timeoutMs',
          'ticket',
          'fingers',
          'maxAttempts',
          'gallery',
          'topK',
          'requestId',
          'x',
        ),
        fc.jsonValue(),
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

const anyMessage = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
  requestLike.map((r) => JSON.stringify(r)),
  fc.array(requestLike, { maxLength: 25 }).map((r) => JSON.stringify(r)),
);

function checkWire(text: string) {
  const parsed = JSON.parse(text);
  for (const r of Array.isArray(parsed) ? parsed : [parsed]) {
    expect(r.jsonrpc).toBe('2.0');
    if ('method' in r) {
      expect(r.method).toBe('operation.progress');
      continue;
    }
    expect('result' in r !== 'error' in r).toBe(true);
    if (r.error) {
      expect(ERROR_CODES).toContain(r.error.data.reason);
      expect(typeof r.error.code).toBe('number');
      expect(JSON.stringify(r.error)).not.toMatch(/\n\s+at /); // no stack traces
    }
  }
}

describe('fuzzing the JSON-RPC session', () => {
  it('every message gets a well-formed answer or none, and the session keeps working', async () => {
    const sent: string[] = [];
    const session = new RpcSession({
      registry: createMethodRegistry(instant),
      origin: ALLOWED,
      logger: silentLogger(),
      send: (t) => sent.push(t),
    });
    await fc.assert(
      fc.asyncProperty(anyMessage, async (msg) => {
        sent.length = 0;
        await session.handleMessage(msg);
        for (const t of sent) checkWire(t);
        const r = await session.handleMessage('{"jsonrpc":"2.0","id":"probe","method":"system.info"}');
        expect(r).toEqual({ jsonrpc: '2.0', id: 'probe', result: { version: 'x' } });
      }),
      { numRuns: 1500 },
    );
    expect(session.pendingCount).toBe(0);
  });
});

describe('fuzzing the live WebSocket', () => {
  let server: BridgeServer;
  let port: number;
  beforeAll(async () => {
    server = createServer({ config: testConfig(), services: instant, logger: silentLogger() });
    ({ port } = await server.listen());
  });
  afterAll(() => server.close());

  function open(): Promise<WebSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1`, { origin: ALLOWED });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  function probe(ws: WebSocket): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no answer to the probe')), 3000);
      const onMessage = (data: WebSocket.RawData) => {
        const m = JSON.parse(String(data));
        if (m.id === 'probe') {
          clearTimeout(t);
          ws.off('message', onMessage);
          resolve(m.result);
        }
      };
      ws.on('message', onMessage);
      ws.send('{"jsonrpc":"2.0","id":"probe","method":"system.info"}');
    });
  }

  it('random bytes and random JSON never stop the daemon from answering', async () => {
    let ws = await open();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 6000 }).map((b) => ({ binary: true, data: Buffer.from(b) })),
          // random bytes in a text frame: invalid UTF-8 makes ws close the connection (1007)
          fc.uint8Array({ maxLength: 300 }).map((b) => ({ binary: false, data: Buffer.from(b) })),
          anyMessage.map((s) => ({ binary: false, data: s })),
        ),
        async (m) => {
          // A message above maxMessageBytes closes the connection by design: reconnect then.
          if (ws.readyState !== WebSocket.OPEN) ws = await open();
          ws.send(m.data, { binary: m.binary });
          const invalidText = !m.binary && Buffer.isBuffer(m.data) && !isUtf8(m.data);
          if (Buffer.byteLength(m.data) > 4096 || invalidText) {
            await new Promise((r) => ws.once('close', r));
            ws = await open();
          }
          expect(await probe(ws)).toEqual({ version: 'x' });
        },
      ),
      { numRuns: 300 },
    );
    ws.close();
  });
});
