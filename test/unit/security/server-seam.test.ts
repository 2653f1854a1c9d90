import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import type { Config } from '../../../src/config/types.ts';
import { createTicketVerifier, mintTicket } from '../../../src/security/tickets.ts';
import { ALLOWED, FakeServices, startServer, TestClient, testConfig } from '../server/helpers.ts';

// The verifier plugged into the real server's Authorize seam, over a real WebSocket.
const backend = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ticketFor = (op: string, origin = ALLOWED) => {
  const iat = Math.floor(Date.now() / 1000);
  return mintTicket(backend.privateKey, {
    aud: 'dev-1',
    origin,
    op,
    scope: ['biodata'],
    nonce: randomUUID(),
    iat,
    exp: iat + 60,
  });
};

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function setup(config?: Config) {
  const authorize = createTicketVerifier({
    keys: [(await exportJWK(backend.publicKey)) as never],
    deviceId: 'dev-1',
    requireTickets: true,
  });
  const { server, port, services } = await startServer({ authorize, config });
  const client = await TestClient.open(port);
  stop = async () => {
    client.close();
    await server.close();
  };
  return { client, services };
}

describe('ticket verifier behind the server', () => {
  it('refuses card.read without ticket, runs it with one, refuses the replay', async () => {
    const { client, services } = await setup();
    const none = await client.call('card.read', {});
    expect(none.error?.data.reason).toBe('TICKET_REQUIRED');
    expect(services.calls).toHaveLength(0);

    const ticket = await ticketFor('card.read');
    const id = client.request('card.read', { ticket });
    await client.next((m) => m.method === 'operation.progress');
    const call = services.calls.at(-1)!;
    expect(call.ctx?.ticket).toMatchObject({ op: 'card.read', origin: ALLOWED, scope: ['biodata'] });
    expect(call.params).not.toHaveProperty('ticket');
    services.release('card.read');
    expect((await client.response(id)).result).toEqual({ done: true });

    const replay = await client.call('card.read', { ticket });
    expect(replay.error?.data.reason).toBe('TICKET_INVALID');
    expect(replay.error?.data.detail).toEqual({ reason: 'NONCE_REPLAYED', check: 'nonce already used' });
    expect(replay.error?.message).toBe('The authorisation ticket is invalid');
    expect(JSON.stringify(replay)).not.toContain(ticket.split('.')[1]);
  });

  it('refuses a ticket for another op or origin; system.info needs none', async () => {
    const { client, services } = await setup();
    const wrongOp = await client.call('finger.verify', { ticket: await ticketFor('card.read') });
    expect(wrongOp.error?.data.reason).toBe('TICKET_INVALID');
    const wrongOrigin = await client.call('card.read', {
      ticket: await ticketFor('card.read', 'https://other.example'),
    });
    expect(wrongOrigin.error?.data.detail).toEqual({
      reason: 'WRONG_ORIGIN',
      check: 'origin does not match the connection',
    });
    expect(services.calls).toHaveLength(0);
    expect((await client.call('system.info')).result).toMatchObject({ deviceId: 'dev-1' });
  });
});

describe('what a refused ticket looks like on the wire', () => {
  it('data.detail.reason is the documented reason code of the failed check, detail.check its words', async () => {
    const { client } = await setup();
    const [h, p] = (await ticketFor('card.read')).split('.');
    const crit = `${Buffer.from(JSON.stringify({ alg: 'ES256', crit: ['exp'] })).toString('base64url')}.${p}.AAAA`;
    const answers = await Promise.all([
      client.call('card.read', { ticket: `${h}.${p}` }),
      client.call('card.read', { ticket: `${Buffer.from('xyz').toString('base64url')}.${p}.AAAA` }),
      client.call('card.read', { ticket: crit }),
      client.call('card.read', {
        ticket: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.AAAA`,
      }),
      client.call('finger.verify', { ticket: await ticketFor('card.read') }),
    ]);
    expect(answers.map((a) => a.error?.data.reason)).toEqual(Array(5).fill('TICKET_INVALID'));
    expect(answers.map((a) => a.error?.data.detail?.reason)).toEqual([
      'MALFORMED',
      'MALFORMED',
      'MALFORMED',
      'ALG_NOT_ES256',
      'WRONG_OP',
    ]);
    for (const a of answers) expect(a.error?.data.detail?.check).toEqual(expect.any(String));
  });

  it('a ticket param over 8192 characters fails the request schema: INVALID_PARAMS naming "ticket"', async () => {
    // the daemon's default message limit (64 KiB), not the 4 KiB of the other tests
    const { client, services } = await setup(
      testConfig({ security: { maxMessageBytes: 65536 } as Config['security'] }),
    );
    const long = await client.call('card.read', { ticket: `${'a'.repeat(8190)}.b.c` });
    expect(long.error?.data.reason).toBe('INVALID_PARAMS');
    expect(long.error?.data.detail).toMatchObject({ field: 'ticket' });
    expect(services.calls).toHaveLength(0);
  });
});

describe('a ticket is spent only when its operation starts', () => {
  it('refused for scope (before start), the same ticket is accepted afterwards within scope', async () => {
    const { client, services } = await setup();
    const ticket = await ticketFor('card.read');
    services.failWith = new BridgeError('TICKET_INVALID', 'scope', { check: 'scope', fields: ['photo'] });
    const refused = await client.call('card.read', { fields: ['photo'], ticket });
    expect(refused.error?.data.reason).toBe('TICKET_INVALID');
    const id = client.request('card.read', { fields: ['biodata'], ticket });
    await client.next((m) => m.method === 'operation.progress');
    services.release('card.read');
    expect((await client.response(id)).result).toEqual({ done: true });
    // and now it is spent
    expect((await client.call('card.read', { ticket })).error?.data.detail).toEqual({
      reason: 'NONCE_REPLAYED',
      check: 'nonce already used',
    });
  });

  it('answered BUSY (before start), a retry with the same ticket succeeds', async () => {
    const { client, services } = await setup();
    const ticket = await ticketFor('card.read');
    services.failWith = new BridgeError('BUSY');
    expect((await client.call('card.read', { ticket })).error?.data.reason).toBe('BUSY');
    const id = client.request('card.read', { ticket });
    await client.next((m) => m.method === 'operation.progress');
    services.release('card.read');
    expect((await client.response(id)).result).toEqual({ done: true });
  });

  it('an operation that started and then failed has spent its ticket', async () => {
    const { client, services } = await setup();
    const ticket = await ticketFor('card.read');
    services.failAfterStartWith = new BridgeError('CARD_REMOVED');
    expect((await client.call('card.read', { ticket })).error?.data.reason).toBe('CARD_REMOVED');
    expect((await client.call('card.read', { ticket })).error?.data.detail).toEqual({
      reason: 'NONCE_REPLAYED',
      check: 'nonce already used',
    });
  });

  it('while a request holds a ticket before starting, another gets BUSY; after a refusal it works', async () => {
    const { client, services } = await setup();
    const ticket = await ticketFor('card.read');
    // a service still checking (not started): the nonce is held, neither spent nor free
    let refuse: (e: unknown) => void = () => {};
    services.cardRead = () =>
      new Promise((_, reject) => {
        refuse = reject;
      });
    const first = client.request('card.read', { ticket });
    await new Promise((r) => setTimeout(r, 50));
    const second = await client.call('card.read', { ticket });
    expect(second.error?.data.reason).toBe('BUSY');
    refuse(new BridgeError('NO_CARD'));
    expect((await client.response(first)).error?.data.reason).toBe('NO_CARD');
    services.cardRead = FakeServices.prototype.cardRead;
    const third = client.request('card.read', { ticket });
    await client.next((m) => m.method === 'operation.progress');
    services.release('card.read');
    expect((await client.response(third)).result).toEqual({ done: true });
  });

  it('a request cancelled before its service started leaves the ticket usable', async () => {
    const { client, services } = await setup();
    const ticket = await ticketFor('card.read');
    // the service never starts: it waits (like card.read waiting for a tap) until cancelled
    services.cardRead = (_p, ctx) =>
      new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    const id = client.request('card.read', { ticket, timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await client.call('operation.cancel', { requestId: id })).result).toEqual({ cancelled: true });
    expect((await client.response(id)).error?.data.reason).toBe('CANCELLED');
    services.cardRead = FakeServices.prototype.cardRead;
    const again = client.request('card.read', { ticket });
    await client.next((m) => m.method === 'operation.progress');
    services.release('card.read');
    expect((await client.response(again)).result).toEqual({ done: true });
  });
});
