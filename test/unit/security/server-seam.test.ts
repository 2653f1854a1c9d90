import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createTicketVerifier, mintTicket } from '../../../src/security/tickets.ts';
import { ALLOWED, startServer, TestClient } from '../server/helpers.ts';

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

async function setup() {
  const authorize = createTicketVerifier({
    keys: [(await exportJWK(backend.publicKey)) as never],
    deviceId: 'dev-1',
    requireTickets: true,
  });
  const { server, port, services } = await startServer({ authorize });
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
    expect(replay.error?.data.detail).toEqual({ check: 'nonce already used' });
    expect(JSON.stringify(replay)).not.toContain(ticket.split('.')[1]);
  });

  it('refuses a ticket for another op or origin; system.info needs none', async () => {
    const { client, services } = await setup();
    const wrongOp = await client.call('finger.verify', { ticket: await ticketFor('card.read') });
    expect(wrongOp.error?.data.reason).toBe('TICKET_INVALID');
    const wrongOrigin = await client.call('card.read', {
      ticket: await ticketFor('card.read', 'https://other.example'),
    });
    expect(wrongOrigin.error?.data.detail).toEqual({ check: 'origin does not match the connection' });
    expect(services.calls).toHaveLength(0);
    expect((await client.call('system.info')).result).toMatchObject({ deviceId: 'dev-1' });
  });
});
