import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BridgeError } from '../../../protocols/errors.ts';
import type { BridgeServer } from '../../../src/server/index.ts';
import { ALLOWED, FakeServices, rawUpgrade, startServer, TestClient, testConfig } from './helpers.ts';

let server: BridgeServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server?.close();
  server = undefined;
});
async function start(...args: Parameters<typeof startServer>) {
  const s = await startServer(...args);
  server = s.server;
  return s;
}
async function open(port: number, origin?: string) {
  const c = await TestClient.open(port, origin);
  clients.push(c);
  return c;
}

describe('WebSocket upgrade guard', () => {
  it('refuses a foreign Origin with exactly "HTTP/1.1 403 Forbidden" and nothing else', async () => {
    const { port } = await start();
    const sent = await rawUpgrade(port, { Host: `127.0.0.1:${port}`, Origin: 'https://evil.example' });
    expect(sent).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
  });

  it('refuses a missing Origin, a prefix of an allowed one and one with a path', async () => {
    const { port } = await start();
    for (const origin of [undefined, 'https://klaim.example.go.id.evil.example', `${ALLOWED}/`, 'null']) {
      const headers: Record<string, string> = { Host: `127.0.0.1:${port}` };
      if (origin) headers.Origin = origin;
      expect(await rawUpgrade(port, headers)).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
    }
  });

  it('refuses a non-loopback Host (DNS rebinding) even from an allowed Origin', async () => {
    const { port } = await start();
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      '127.0.0.1.nip.io',
      '192.168.1.10',
      'localhost.',
    ]) {
      expect(await rawUpgrade(port, { Host: host, Origin: ALLOWED })).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
    }
  });

  it('accepts the allowed Origin with every loopback Host spelling', async () => {
    const { port } = await start();
    for (const host of [
      `127.0.0.1:${port}`,
      '127.0.0.1',
      `localhost:${port}`,
      'LOCALHOST',
      `[::1]:${port}`,
    ]) {
      const sent = await rawUpgrade(port, { Host: host, Origin: ALLOWED });
      expect(sent.startsWith('HTTP/1.1 101 Switching Protocols')).toBe(true);
    }
  });

  it('allows the self origin by default and not when allowSelfOrigin is false', async () => {
    const { port } = await start();
    const c = await open(port, `http://127.0.0.1:${port}`);
    expect((await c.call('system.info')).result).toMatchObject({ deviceId: 'dev-1' });
    await server!.close();
    const base = testConfig();
    const s2 = await start({ config: { ...base, security: { ...base.security, allowSelfOrigin: false } } });
    const sent = await rawUpgrade(s2.port, {
      Host: `127.0.0.1:${s2.port}`,
      Origin: `http://127.0.0.1:${s2.port}`,
    });
    expect(sent).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
  });

  it('keeps serving on 127.0.0.1 when a further address cannot be bound (EADDRNOTAVAIL)', async () => {
    const base = testConfig();
    // 192.0.2.1 (TEST-NET-1) is on no interface: binding it fails the way a missing ::1 does.
    const hosts = ['127.0.0.1', '192.0.2.1'] as unknown as typeof base.hosts;
    const { port } = await start({ config: { ...base, hosts } });
    const c = await open(port);
    expect((await c.call('system.info')).result).toBeTruthy();
  });

  it('answers 404 on another path', async () => {
    const { port } = await start();
    expect(await rawUpgrade(port, { Host: '127.0.0.1', Origin: ALLOWED }, '/v2')).toBe(
      'HTTP/1.1 404 Not Found\r\n\r\n',
    );
  });

  it('listens on ::1 too when it exists, and tolerates its absence', async () => {
    const base = testConfig();
    const { port } = await start({ config: { ...base, hosts: ['127.0.0.1', '::1'] } });
    const c = await open(port);
    expect((await c.call('system.info')).result).toBeTruthy();
    if (!(await hasIpv6Loopback())) {
      console.log('::1 is not available here: only the IPv4 listener was checked');
      return;
    }
    const ws = new WebSocket(`ws://[::1]:${port}/v1`, { origin: ALLOWED });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.close();
  });
});

describe('JSON-RPC over the WebSocket', () => {
  it('answers system.info and device.list', async () => {
    const { port } = await start();
    const c = await open(port);
    expect(await c.call('system.info')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { version: '0.1.0', deviceId: 'dev-1' },
    });
    expect((await c.call('device.list', {})).result).toEqual({ readers: [], sensors: [] });
  });

  it('closes the connection with 1009 on a message above maxMessageBytes', async () => {
    const { port } = await start();
    const c = await open(port);
    c.send({ jsonrpc: '2.0', id: 1, method: 'system.info', params: { pad: 'x'.repeat(5000) } });
    expect((await c.closed).code).toBe(1009);
  });

  it.each([
    ['{"jsonrpc":"2.0",', null, -32700, 'PARSE_ERROR'],
    ['{"jsonrpc":"1.0","id":7,"method":"system.info"}', 7, -32600, 'INVALID_REQUEST'],
    ['{"id":8,"method":"system.info"}', 8, -32600, 'INVALID_REQUEST'],
    ['{"jsonrpc":"2.0","id":{"a":1},"method":"system.info"}', null, -32600, 'INVALID_REQUEST'],
    ['{"jsonrpc":"2.0","id":9,"method":42}', 9, -32600, 'INVALID_REQUEST'],
    ['"hello"', null, -32600, 'INVALID_REQUEST'],
    ['[]', null, -32600, 'INVALID_REQUEST'],
    ['{"jsonrpc":"2.0","id":10,"method":"card.format"}', 10, -32601, 'METHOD_NOT_FOUND'],
    ['{"jsonrpc":"2.0","id":11,"method":"__proto__"}', 11, -32601, 'METHOD_NOT_FOUND'],
    [
      '{"jsonrpc":"2.0","id":12,"method":"card.read","params":{"fields":["dna"]}}',
      12,
      -32602,
      'INVALID_PARAMS',
    ],
    [
      '{"jsonrpc":"2.0","id":13,"method":"card.read","params":{"timeoutMs":"5s"}}',
      13,
      -32602,
      'INVALID_PARAMS',
    ],
    ['{"jsonrpc":"2.0","id":14,"method":"card.read","params":{"feilds":[]}}', 14, -32602, 'INVALID_PARAMS'],
    ['{"jsonrpc":"2.0","id":15,"method":"card.read","params":["biodata"]}', 15, -32602, 'INVALID_PARAMS'],
    ['{"jsonrpc":"2.0","id":16,"method":"finger.identify","params":{}}', 16, -32602, 'INVALID_PARAMS'],
    ['{"jsonrpc":"2.0","id":17,"method":"system.info","params":{"x":1}}', 17, -32602, 'INVALID_PARAMS'],
  ])('%s -> %s %s', async (text, id, code, reason) => {
    const { port } = await start();
    const c = await open(port);
    c.send(text);
    const m = await c.next((x) => x.error !== undefined);
    expect(m.id).toBe(id);
    expect(m.error?.code).toBe(code);
    expect(m.error?.data.reason).toBe(reason);
    expect(typeof m.error?.data.message.id).toBe('string');
    expect(typeof m.error?.data.message.en).toBe('string');
    expect(m.error?.message).toBe(m.error?.data.message.en);
    // the connection stays usable
    expect((await c.call('system.info')).result).toBeTruthy();
  });

  it('names the offending field of invalid params', async () => {
    const { port } = await start();
    const c = await open(port);
    const m = await c.call('finger.verify', { maxAttempts: 0 });
    expect(m.error?.data.detail).toEqual({ field: 'maxAttempts', problem: '"maxAttempts": must be >= 1' });
  });

  it('ignores notifications from the client and answers batches', async () => {
    const { port, services } = await start();
    const c = await open(port);
    c.send({ jsonrpc: '2.0', method: 'system.info' });
    c.send([
      { jsonrpc: '2.0', id: 'a', method: 'system.info' },
      { jsonrpc: '2.0', method: 'system.info' },
      { jsonrpc: '2.0', id: 'b', method: 'nope' },
      5,
    ]);
    const batch = (await c.next((m) => 'batch' in m)) as unknown as { batch: Array<Record<string, unknown>> };
    expect(batch.batch).toHaveLength(3);
    expect(batch.batch[0]).toMatchObject({ id: 'a', result: { deviceId: 'dev-1' } });
    expect(batch.batch[1]).toMatchObject({ id: 'b', error: { code: -32601 } });
    expect(batch.batch[2]).toMatchObject({ id: null, error: { code: -32600 } });
    // only the batch's one request ran: notifications are not executed
    expect(services.calls.filter((x) => x.method === 'system.info')).toHaveLength(1);
  });

  it('maps BridgeError to its code and unknown exceptions to INTERNAL without leaking', async () => {
    const { port, services } = await start();
    const c = await open(port);
    services.failWith = new BridgeError('CARD_REMOVED', 'lifted at DG2', { step: 'photo' });
    const removed = await c.call('card.read', {});
    expect(removed.error).toEqual({
      code: -32006,
      message: 'The card was removed during the operation',
      data: {
        reason: 'CARD_REMOVED',
        message: { id: 'Kartu diangkat saat dibaca', en: 'The card was removed during the operation' },
        detail: { step: 'photo' },
      },
    });
    services.failWith = new TypeError('cannot read nik 3171234567890123 of undefined');
    const internal = await c.call('card.read', {});
    expect(internal.error?.code).toBe(-32603);
    expect(internal.error?.data.reason).toBe('INTERNAL');
    const text = JSON.stringify(internal);
    expect(text).not.toContain('3171234567890123');
    expect(text).not.toContain('TypeError');
    expect(text).not.toContain('at ');
  });

  it('passes the ticket to authorize, not to the service, and refuses when authorize throws', async () => {
    const seen: unknown[] = [];
    const { port, services } = await start({
      authorize: async (method, params, ctx) => {
        seen.push({ method, ticket: params.ticket, origin: ctx.origin });
        if (!params.ticket) throw new BridgeError('TICKET_REQUIRED');
        const claims = {
          aud: '*',
          origin: ctx.origin,
          op: method,
          scope: ['biodata'],
          nonce: 'n1',
          iat: 1,
          exp: 2,
        };
        return { claims, spend() {}, release() {} };
      },
    });
    const c = await open(port);
    const refused = await c.call('card.read', {});
    expect(refused.error?.data.reason).toBe('TICKET_REQUIRED');
    expect(services.calls.some((x) => x.method === 'card.read')).toBe(false);
    const id = c.request('card.read', { fields: ['biodata'], ticket: 'aaa.bbb.ccc' });
    await c.next((m) => m.method === 'operation.progress');
    const call = services.calls.find((x) => x.method === 'card.read')!;
    expect(call.params).toEqual({ fields: ['biodata'] });
    expect(call.ctx?.ticket?.nonce).toBe('n1');
    expect(call.ctx?.origin).toBe(ALLOWED);
    services.release('card.read', { card: {} });
    expect((await c.response(id)).result).toEqual({ card: {} });
    expect(seen).toEqual([
      { method: 'card.read', ticket: undefined, origin: ALLOWED },
      { method: 'card.read', ticket: 'aaa.bbb.ccc', origin: ALLOWED },
    ]);
    // system.info needs no ticket
    expect((await c.call('system.info')).result).toBeTruthy();
  });
});

describe('long operations', () => {
  it('operation.cancel aborts the signal and answers CANCELLED at once, even for a slow service', async () => {
    const services = new FakeServices();
    services.ignoreAbort = true;
    const { port } = await start({ services });
    const c = await open(port);
    const id = c.request('finger.capture', { timeoutMs: 10_000 });
    await c.next((m) => m.method === 'operation.progress' && m.params?.requestId === id);
    const cancel = await c.call('operation.cancel', { requestId: id });
    expect(cancel.result).toEqual({ cancelled: true });
    const r = await c.response(id);
    expect(r.error?.data.reason).toBe('CANCELLED');
    expect(services.calls.find((x) => x.method === 'finger.capture')!.ctx!.signal.aborted).toBe(true);
    // nothing pending any more
    expect((await c.call('operation.cancel', { requestId: id })).result).toEqual({ cancelled: false });
    // the late completion of the service is absorbed
    services.release('finger.capture');
    expect((await c.call('system.info')).result).toBeTruthy();
  });

  it("cannot cancel another connection's operation", async () => {
    const { port, services } = await start();
    const a = await open(port);
    const b = await open(port);
    const id = a.request('card.read', {});
    await a.next((m) => m.method === 'operation.progress');
    expect((await b.call('operation.cancel', { requestId: id })).result).toEqual({ cancelled: false });
    services.release('card.read', { ok: 1 });
    expect((await a.response(id)).result).toEqual({ ok: 1 });
  });

  it('sends progress to the caller only, and notifications to everyone', async () => {
    const { port, services } = await start();
    const a = await open(port);
    const b = await open(port);
    const id = a.request('finger.verify', {});
    const p = await a.next((m) => m.method === 'operation.progress');
    expect(p.params).toEqual({ requestId: id, step: 'started', percent: 10 });
    services.emit({ method: 'card.inserted', params: { reader: 'ACS ACR1281 PICC' } });
    for (const c of [a, b]) {
      expect((await c.next((m) => m.method === 'card.inserted')).params).toEqual({
        reader: 'ACS ACR1281 PICC',
      });
    }
    services.release('finger.verify', { matched: true });
    await a.response(id);
    expect(a.messages.filter((m) => m.method === 'operation.progress')).toHaveLength(1); // 'finishing'
    expect(b.messages.some((m) => m.method === 'operation.progress')).toBe(false);
  });

  it('aborts the operations of a client that disconnects', async () => {
    const { port, services } = await start();
    const c = await open(port);
    c.request('card.read', {});
    await c.next((m) => m.method === 'operation.progress');
    const signal = services.calls.find((x) => x.method === 'card.read')!.ctx!.signal;
    await c.close();
    await vi_waitFor(() => signal.aborted);
    expect((signal.reason as BridgeError).code).toBe('CANCELLED');
  });

  it('refuses a second request with the id of a pending one', async () => {
    const { port, services } = await start();
    const c = await open(port);
    c.request('card.read', {}, 'same');
    await c.next((m) => m.method === 'operation.progress');
    c.request('finger.capture', {}, 'same');
    const dup = await c.next((m) => m.id === 'same' && m.error !== undefined);
    expect(dup.error?.data.reason).toBe('INVALID_REQUEST');
    services.release('card.read');
    expect((await c.response('same')).result).toEqual({ done: true });
  });

  it('stops cleanly: clients get 1001 and the service listener is removed', async () => {
    const { port, services } = await start();
    const c = await open(port);
    c.request('card.read', {});
    await c.next((m) => m.method === 'operation.progress');
    await server!.close();
    server = undefined;
    expect((await c.closed).code).toBe(1001);
    expect(services.listenerCount).toBe(0);
  });
});

async function vi_waitFor(cond: () => boolean, timeoutMs = 2000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}
