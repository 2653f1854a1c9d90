import { createHmac, generateKeyPairSync } from 'node:crypto';
import { exportJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { createTicketVerifier, mintTicket } from '../../../src/security/tickets.ts';
import type { Authorize } from '../../../src/server/method-registry.ts';
import type { TicketClaims } from '../../../src/services/types.ts';

const DEVICE = 'device-123';
const ORIGIN = 'https://eklaim.example.go.id';
const NOW_S = 1_800_000_000;
const ctx = { origin: ORIGIN, requestId: 1 };

function keyPair(curve = 'P-256') {
  return generateKeyPairSync('ec', { namedCurve: curve });
}
const backend = keyPair();
const other = keyPair();

let counter = 0;
function claims(over: Partial<TicketClaims> = {}): TicketClaims {
  counter++;
  return {
    aud: DEVICE,
    origin: ORIGIN,
    op: 'card.read',
    scope: ['biodata', 'photo'],
    nonce: `n-${counter}`,
    iat: NOW_S - 10,
    exp: NOW_S + 110,
    ...over,
  };
}

function b64(v: unknown): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

/** The verifier as the server uses it for an operation that starts at once: check, then spend. */
function spending(verify: Authorize) {
  return async (...args: Parameters<Authorize>) => {
    const grant = await verify(...args);
    grant?.spend();
    return grant?.claims;
  };
}

async function rejection(p: Promise<unknown>): Promise<BridgeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    return e as BridgeError;
  }
  throw new Error('expected a rejection');
}

describe('createTicketVerifier', () => {
  let verify: ReturnType<typeof spending>;
  let clock = NOW_S * 1000;
  beforeAll(async () => {
    verify = spending(
      createTicketVerifier({
        keys: [(await exportJWK(other.publicKey)) as never, (await exportJWK(backend.publicKey)) as never],
        deviceId: DEVICE,
        requireTickets: true,
        now: () => clock,
      }),
    );
  });

  const check = async (token: unknown, method = 'card.read', origin = ORIGIN) =>
    verify(method, { ticket: token }, { origin, requestId: 1 });

  it('accepts a good ticket and returns its claims', async () => {
    const c = claims();
    expect(await check(await mintTicket(backend.privateKey, c))).toEqual(c);
  });

  it('accepts aud "*" and a ticket signed by any configured key', async () => {
    const c = claims({ aud: '*' });
    expect(await check(await mintTicket(other.privateKey, c))).toEqual(c);
  });

  it('TICKET_REQUIRED without a ticket when tickets are required', async () => {
    const e = await rejection(verify('card.read', {}, ctx));
    expect(e.code).toBe('TICKET_REQUIRED');
  });

  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    [
      'expired',
      async () => mintTicket(backend.privateKey, claims({ iat: NOW_S - 200, exp: NOW_S - 31 })),
      /expired/,
    ],
    [
      'issued in the future',
      async () => mintTicket(backend.privateKey, claims({ iat: NOW_S + 31, exp: NOW_S + 100 })),
      /future/,
    ],
    [
      'valid too long',
      async () => mintTicket(backend.privateKey, claims({ iat: NOW_S, exp: NOW_S + 301 })),
      /more than 300/,
    ],
    [
      'exp before iat',
      async () => mintTicket(backend.privateKey, claims({ iat: NOW_S, exp: NOW_S - 1 })),
      /exp is not after iat/,
    ],
    ['wrong aud', async () => mintTicket(backend.privateKey, claims({ aud: 'another-device' })), /aud/],
    [
      'wrong origin',
      async () => mintTicket(backend.privateKey, claims({ origin: 'https://evil.example' })),
      /origin/,
    ],
    [
      'wrong op',
      async () => mintTicket(backend.privateKey, claims({ op: 'finger.verify' })),
      /op is not card.read/,
    ],
    [
      'scope not an array',
      async () => mintTicket(backend.privateKey, { ...claims(), scope: 'biodata' as never }),
      /scope/,
    ],
    [
      'scope with a number',
      async () => mintTicket(backend.privateKey, { ...claims(), scope: ['biodata', 3] as never }),
      /scope/,
    ],
    [
      'nonce missing',
      async () => mintTicket(backend.privateKey, { ...claims(), nonce: undefined as never }),
      /nonce/,
    ],
    [
      'nonce with a lone surrogate (no canonical JSON for the receipt and the audit log)',
      async () => mintTicket(backend.privateKey, { ...claims(), nonce: 'n-\ud800' }),
      /well-formed/,
    ],
    [
      'iat a string',
      async () => mintTicket(backend.privateKey, { ...claims(), iat: String(NOW_S) as never }),
      /iat/,
    ],
    ['unknown key', async () => mintTicket(keyPair().privateKey, claims()), /signature does not match/],
    [
      'bad signature',
      async () => {
        const t = await mintTicket(backend.privateKey, claims());
        const [h, p, s] = t.split('.');
        const sig = Buffer.from(s, 'base64url');
        sig[5] ^= 1;
        return `${h}.${p}.${sig.toString('base64url')}`;
      },
      /signature/,
    ],
    [
      'payload swapped under a valid signature',
      async () => {
        const [h, , s] = (await mintTicket(backend.privateKey, claims())).split('.');
        return `${h}.${b64(claims({ scope: ['biodata', 'photo', 'fingers'] }))}.${s}`;
      },
      /signature/,
    ],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, /compact JWS/],
    [
      'alg none with a dummy signature',
      async () => `${b64({ alg: 'none' })}.${b64(claims())}.AAAA`,
      /alg "none" not allowed/,
    ],
    [
      'HS256 keyed with the public key (alg confusion)',
      async () => {
        const pem = backend.publicKey.export({ type: 'spki', format: 'pem' });
        const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
        return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      },
      /alg "HS256" not allowed/,
    ],
    ['ES384', async () => `${b64({ alg: 'ES384' })}.${b64(claims())}.AAAA`, /alg "ES384"/],
    ['alg missing', async () => `${b64({ typ: 'JWT' })}.${b64(claims())}.AAAA`, /alg undefined/],
    ['garbage', async () => 'not a ticket at all', /compact JWS/],
    ['garbage with dots', async () => 'a.b.c', /header is not JSON/],
    ['header is an array', async () => `${b64([1])}.${b64(claims())}.AAAA`, /header is not an object/],
    ['not a string', async () => 42, /not a string/],
    ['too long', async () => `${'a'.repeat(9000)}.b.c`, /too long/],
  ];

  it.each(cases)('TICKET_INVALID: %s', async (_name, make, why) => {
    const token = await make();
    const e = await rejection(check(token));
    expect(e.code).toBe('TICKET_INVALID');
    expect(e.message).toMatch(why);
    // the message names the check, never the token
    if (typeof token === 'string' && token.length > 10)
      expect(e.message).not.toContain(token.split('.')[1] || token);
  });

  it('allows 30 s of clock skew either way', async () => {
    const c1 = claims({ iat: NOW_S + 25, exp: NOW_S + 200 });
    expect(await check(await mintTicket(backend.privateKey, c1))).toEqual(c1);
    const c2 = claims({ iat: NOW_S - 200, exp: NOW_S - 25 });
    expect(await check(await mintTicket(backend.privateKey, c2))).toEqual(c2);
  });

  it('refuses a replayed nonce, even for another op or with a new signature', async () => {
    const c = claims();
    const t = await mintTicket(backend.privateKey, c);
    await check(t);
    expect((await rejection(check(t))).message).toMatch(/nonce already used/);
    const again = await mintTicket(backend.privateKey, { ...c, op: 'finger.verify' });
    expect((await rejection(check(again, 'finger.verify'))).message).toMatch(/nonce already used/);
  });

  it('a ticket failing a check does not use up its nonce', async () => {
    const c = claims();
    await rejection(check(await mintTicket(backend.privateKey, c), 'card.read', 'https://evil.example'));
    expect(await check(await mintTicket(backend.privateKey, c))).toEqual(c);
  });

  it('forgets nonces once their ticket has expired (and a replay then fails as expired)', async () => {
    const c = claims({ iat: NOW_S, exp: NOW_S + 60 });
    const t = await mintTicket(backend.privateKey, c);
    await check(t);
    clock += 100_000;
    try {
      expect((await rejection(check(t))).message).toMatch(/expired/);
    } finally {
      clock -= 100_000;
    }
  });
});

describe('createTicketVerifier options', () => {
  it('requireTickets false: no ticket passes, a bad ticket is still refused', async () => {
    const verify = spending(
      createTicketVerifier({
        keys: [backend.publicKey.export({ type: 'spki', format: 'pem' }) as string],
        deviceId: DEVICE,
        requireTickets: false,
        now: () => NOW_S * 1000,
      }),
    );
    expect(await verify('card.read', {}, ctx)).toBeUndefined();
    expect((await rejection(verify('card.read', { ticket: 'x.y.z' }, ctx))).code).toBe('TICKET_INVALID');
    const bad = await mintTicket(backend.privateKey, claims({ origin: 'https://evil.example' }));
    expect((await rejection(verify('card.read', { ticket: bad }, ctx))).code).toBe('TICKET_INVALID');
    // PEM keys work too
    const good = claims();
    expect(await verify('card.read', { ticket: await mintTicket(backend.privateKey, good) }, ctx)).toEqual(
      good,
    );
  });

  it('refuses non-P-256, private or malformed configured keys at construction', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const base = { deviceId: DEVICE, requireTickets: true };
    expect(() =>
      createTicketVerifier({
        ...base,
        keys: [rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string],
      }),
    ).toThrow(/P-256/);
    expect(() =>
      createTicketVerifier({
        ...base,
        keys: [keyPair('secp384r1').publicKey.export({ type: 'spki', format: 'pem' }) as string],
      }),
    ).toThrow(/P-256/);
    const privateJwk = await exportJWK(backend.privateKey);
    expect(() => createTicketVerifier({ ...base, keys: [privateJwk as never] })).toThrow(/private/);
    expect(() =>
      createTicketVerifier({ ...base, keys: ['-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----'] }),
    ).toThrow(/ticketKeys\[0\]/);
  });

  it('with no configured key every ticket is invalid (and saying so)', async () => {
    const verify = spending(
      createTicketVerifier({
        keys: [],
        deviceId: DEVICE,
        requireTickets: true,
        now: () => NOW_S * 1000,
      }),
    );
    const e = await rejection(
      verify('card.read', { ticket: await mintTicket(backend.privateKey, claims()) }, ctx),
    );
    expect(e.code).toBe('TICKET_INVALID');
    expect(e.message).toMatch(/no backend key/);
  });

  it('a replay cache full of live nonces answers BUSY; expired ones make room', async () => {
    let clock = NOW_S * 1000;
    const verify = spending(
      createTicketVerifier({
        keys: [(await exportJWK(backend.publicKey)) as never],
        deviceId: DEVICE,
        requireTickets: true,
        now: () => clock,
        monotonic: () => clock,
        nonceCapacity: 3,
      }),
    );
    const mint = (exp: number) => mintTicket(backend.privateKey, claims({ iat: NOW_S, exp }));
    const t1 = await mint(NOW_S + 10);
    await verify('card.read', { ticket: t1 }, ctx);
    await verify('card.read', { ticket: await mint(NOW_S + 200) }, ctx);
    await verify('card.read', { ticket: await mint(NOW_S + 200) }, ctx);
    const t4 = await mint(NOW_S + 200);
    expect((await rejection(verify('card.read', { ticket: t4 }, ctx))).code).toBe('BUSY');
    // t1 is past its expiry (plus skew) and its whole lifetime (plus skew on both ends) has
    // passed on the monotonic clock too: its slot is free
    clock = (NOW_S + 10 + 2 * 30 + 1) * 1000;
    expect((await verify('card.read', { ticket: t4 }, ctx))?.nonce).toBeDefined();
    expect((await rejection(verify('card.read', { ticket: await mint(NOW_S + 200) }, ctx))).code).toBe(
      'BUSY',
    );
    // and the replay protection for t4 still holds
    expect((await rejection(verify('card.read', { ticket: t4 }, ctx))).message).toMatch(/nonce already used/);
  });
});
