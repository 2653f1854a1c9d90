import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { DEV_BACKEND_KEY_FILE, ensureDevBackend, loadDevBackend } from '../../../src/security/dev-backend.ts';
import { devTicketRoute } from '../../../src/security/dev-ticket-route.ts';
import { createTicketVerifier } from '../../../src/security/tickets.ts';

const PAGE = 'http://127.0.0.1:7215';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dev-backend-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('development backend', () => {
  it('refuses to mint where serve --simulate never made its key', async () => {
    await expect(loadDevBackend(dir)).rejects.toThrow(/serve --simulate/);
  });

  it('makes its key once (0600) and mints tickets a verifier trusting its public key accepts', async () => {
    const first = await ensureDevBackend(dir);
    expect(statSync(join(dir, DEV_BACKEND_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await ensureDevBackend(dir);
    expect(again.publicJwk).toEqual(first.publicJwk);
    expect(first.publicJwk).not.toHaveProperty('d');

    const verify = createTicketVerifier({
      keys: [first.publicJwk as never],
      deviceId: 'dev-1',
      requireTickets: true,
    });
    const ticket = await (await loadDevBackend(dir)).mint({
      op: 'finger.verify',
      scope: ['fingers'],
      origin: PAGE,
    });
    const claims = (await verify('finger.verify', { ticket }, { origin: PAGE, requestId: 1 }))?.claims;
    expect(claims).toMatchObject({ aud: '*', op: 'finger.verify', scope: ['fingers'], origin: PAGE });
    expect(claims!.exp - claims!.iat).toBe(120);
    // each ticket has its own nonce
    const other = await first.mint({ op: 'finger.verify', scope: [], origin: PAGE });
    expect(
      (await verify('finger.verify', { ticket: other }, { origin: PAGE, requestId: 2 }))!.claims.nonce,
    ).not.toBe(claims!.nonce);
  });

  it('refuses a validity the daemon would refuse', async () => {
    const b = await ensureDevBackend(dir);
    await expect(
      b.mint({ op: 'card.read', scope: [], origin: PAGE, ttlSeconds: 301 }),
    ).rejects.toBeInstanceOf(BridgeError);
  });
});

describe('POST /dev/ticket', () => {
  async function app(deviceId?: string) {
    const backend = await ensureDevBackend(dir);
    const a = Fastify();
    await a.register(devTicketRoute({ backend, allowOrigin: (o) => o === PAGE, deviceId }));
    return { a, backend };
  }
  const post = (a: Awaited<ReturnType<typeof app>>['a'], headers: Record<string, string>, body: unknown) =>
    a.inject({
      method: 'POST',
      url: '/dev/ticket',
      headers: { host: '127.0.0.1:7215', ...headers },
      payload: body as object,
    });

  it('gives an allowed page a ticket bound to its own origin', async () => {
    const { a, backend } = await app('dev-1');
    const res = await post(
      a,
      { origin: PAGE, 'content-type': 'application/json' },
      { op: 'card.read', scope: ['biodata'], origin: 'https://evil.example' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { ticket } = res.json();
    const verify = createTicketVerifier({
      keys: [backend.publicJwk as never],
      deviceId: 'dev-1',
      requireTickets: true,
    });
    expect((await verify('card.read', { ticket }, { origin: PAGE, requestId: 1 }))?.claims).toMatchObject({
      aud: 'dev-1',
      origin: PAGE,
      scope: ['biodata'],
    });
    await a.close();
  });

  it('403 without Origin, for another origin, or for a non-loopback Host', async () => {
    const { a } = await app();
    const body = { op: 'card.read' };
    expect((await post(a, { 'content-type': 'application/json' }, body)).statusCode).toBe(403);
    expect(
      (await post(a, { origin: 'https://evil.example', 'content-type': 'application/json' }, body))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(a, { origin: PAGE, host: 'evil.example', 'content-type': 'application/json' }, body))
        .statusCode,
    ).toBe(403);
    await a.close();
  });

  it('refuses a form post and unknown ops', async () => {
    const { a } = await app();
    const form = await a.inject({
      method: 'POST',
      url: '/dev/ticket',
      headers: { host: '127.0.0.1', origin: PAGE, 'content-type': 'text/plain' },
      payload: '{"op":"card.read"}',
    });
    expect(form.statusCode).toBe(415);
    expect(
      (await post(a, { origin: PAGE, 'content-type': 'application/json' }, { op: 'system.info' })).statusCode,
    ).toBe(400);
    await a.close();
  });
});
