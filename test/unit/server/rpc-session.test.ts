import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/index.ts';
import { createMethodRegistry } from '../../../src/server/methods/index.ts';
import { RpcSession } from '../../../src/server/rpc-session.ts';
import { FakeServices } from './helpers.ts';

function session(services = new FakeServices(), maxPending = 2) {
  const sent: unknown[] = [];
  const s = new RpcSession({
    registry: createMethodRegistry(services),
    origin: 'https://klaim.example.go.id',
    logger: silentLogger(),
    send: (t) => sent.push(JSON.parse(t)),
    maxPending,
    maxBatch: 3,
  });
  return { s, sent, services };
}
const req = (id: unknown, method: string, params: unknown = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RpcSession', () => {
  it('refuses a batch above maxBatch as a whole', async () => {
    const { s } = session();
    const batch = JSON.stringify([1, 2, 3, 4].map((i) => ({ jsonrpc: '2.0', id: i, method: 'system.info' })));
    const r = (await s.handleMessage(batch)) as { error: { data: { reason: string; detail: unknown } } };
    expect(r.error.data.reason).toBe('INVALID_REQUEST');
    expect(r.error.data.detail).toEqual({ problem: 'a batch holds at most 3 requests' });
  });

  it('answers BUSY beyond maxPending long operations per connection', async () => {
    const { s, services } = session();
    void s.handleMessage(req(1, 'card.read'));
    void s.handleMessage(req(2, 'finger.capture'));
    await tick();
    const r = (await s.handleMessage(req(3, 'finger.verify'))) as { error: { data: { reason: string } } };
    expect(r.error.data.reason).toBe('BUSY');
    services.release('card.read');
    await tick();
    expect(s.pendingCount).toBe(1);
  });

  it('clamps progress to 0..100 and stops it once the operation is answered', async () => {
    const { s, sent, services } = session();
    const done = s.handleMessage(req('p', 'card.read'));
    await tick();
    const ctx = services.calls.at(-1)!.ctx!;
    ctx.progress('weird', 250);
    ctx.progress('nan', Number.NaN);
    services.release('card.read');
    await done;
    ctx.progress('late', 50);
    const progress = sent.filter((m) => (m as { method?: string }).method === 'operation.progress');
    expect(progress.map((m) => (m as { params: { percent: number; step: string } }).params)).toEqual([
      { requestId: 'p', step: 'started', percent: 10 },
      { requestId: 'p', step: 'weird', percent: 100 },
      { requestId: 'p', step: 'nan', percent: 0 },
      { requestId: 'p', step: 'finishing', percent: 100 },
    ]);
  });

  it('answers INTERNAL when a result cannot be serialised', async () => {
    const services = new FakeServices();
    services.systemInfo = async () => ({ big: 10n }) as unknown as { version: string; deviceId: string };
    const { s, sent } = session(services);
    await s.handleMessage(req(1, 'system.info'));
    expect(sent).toEqual([
      {
        jsonrpc: '2.0',
        id: 1,
        error: {
          code: -32603,
          message: 'Internal error',
          data: { reason: 'INTERNAL', message: { id: 'Kesalahan internal', en: 'Internal error' } },
        },
      },
    ]);
  });

  it('refuses any request, short or long, under the id of a pending operation', async () => {
    const { s, services } = session();
    const capture = s.handleMessage(req('dup', 'finger.capture'));
    await tick();
    for (const method of ['system.info', 'finger.verify', 'operation.cancel']) {
      const params = method === 'operation.cancel' ? { requestId: 'dup' } : {};
      const r = (await s.handleMessage(req('dup', method, params))) as {
        error: { data: { reason: string; detail: unknown } };
      };
      expect(r.error.data.reason, method).toBe('INVALID_REQUEST');
      expect(r.error.data.detail).toEqual({
        problem: 'this id is already used by a pending request of this connection',
      });
    }
    // the operation was not disturbed, and the id is free again once it is answered
    expect(s.pendingCount).toBe(1);
    services.release('finger.capture');
    expect(await capture).toMatchObject({ id: 'dup', result: expect.anything() });
    expect(await s.handleMessage(req('dup', 'system.info'))).toMatchObject({
      id: 'dup',
      result: expect.anything(),
    });
  });

  it('distinguishes id 1 from id "1" for cancel', async () => {
    const { s } = session();
    const pending = s.handleMessage(req(1, 'card.read'));
    await tick();
    expect(s.cancel('1')).toBe(false);
    expect(s.cancel(1)).toBe(true);
    expect(((await pending) as { error: { data: { reason: string } } }).error.data.reason).toBe('CANCELLED');
  });

  it('close() aborts everything and sends nothing more', async () => {
    const { s, sent, services } = session();
    const pending = s.handleMessage(req(1, 'card.read'));
    await tick();
    const before = sent.length;
    s.close();
    await pending;
    expect(services.calls.at(-1)!.ctx!.signal.aborted).toBe(true);
    expect(sent.length).toBe(before);
  });
});
