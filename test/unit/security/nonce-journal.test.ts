import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BridgeError } from '../../../protocols/errors.ts';
import { NONCE_JOURNAL_FILE } from '../../../src/security/nonce-journal.ts';
import { CLOCK_SKEW_S, createTicketVerifier, mintTicket } from '../../../src/security/tickets.ts';
import type { TicketClaims } from '../../../src/services/types.ts';

// Tickets across restarts (docs/security.md "Tickets across restarts") and wall clock jumps.

const DEVICE = 'dev-1';
const ORIGIN = 'https://klaim.example.go.id';
const T0 = 1_800_000_000;
const ctx = { origin: ORIGIN, requestId: 1 };
const backend = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let jwk: unknown;
beforeAll(async () => {
  jwk = await exportJWK(backend.publicKey);
});

let n = 0;
function ticket(over: Partial<TicketClaims> = {}, iat = T0): Promise<string> {
  n++;
  return mintTicket(backend.privateKey, {
    aud: DEVICE,
    origin: ORIGIN,
    op: 'card.read',
    scope: ['biodata'],
    nonce: `nonce-${n}-${Math.random()}`,
    iat,
    exp: iat + 120,
    ...over,
  });
}

/** A daemon's verifier: its own clocks (seconds), the journal in `dir`. */
function daemon(dir: string | undefined, clock = { wall: T0, mono: 0 }, capacity?: number) {
  const verify = createTicketVerifier({
    keys: [jwk as never],
    deviceId: DEVICE,
    requireTickets: true,
    now: () => clock.wall * 1000,
    monotonic: () => clock.mono * 1000,
    nonceFile: dir ? join(dir, NONCE_JOURNAL_FILE) : undefined,
    nonceCapacity: capacity,
  });
  return { verify, clock };
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const err = e as BridgeError;
    return `${err.code}${err.detail?.check ? `: ${err.detail.check}` : ''}`;
  }
}

const fresh = () => mkdtempSync(join(tmpdir(), 'nonce-journal-'));

describe('no replay across a restart', () => {
  it('a ticket used before a restart is refused after it', async () => {
    const dir = fresh();
    const t = await ticket();
    const before = daemon(dir);
    (await before.verify('card.read', { ticket: t }, ctx))!.spend();
    // restart: a new verifier, the same dataDir, a few seconds later (new monotonic clock)
    const after = daemon(dir, { wall: T0 + 5, mono: 0 });
    expect(await outcome(after.verify('card.read', { ticket: t }, ctx))).toBe(
      'TICKET_INVALID: nonce already used',
    );
    // the journal is the service user's only
    expect(statSync(join(dir, NONCE_JOURNAL_FILE)).mode & 0o777).toBe(0o600);
  });

  it('a ticket whose operation may have started when the daemon died is refused after it', async () => {
    const dir = fresh();
    const t = await ticket();
    await daemon(dir).verify('card.read', { ticket: t }, ctx); // reserved, then kill -9
    expect(
      await outcome(daemon(dir, { wall: T0 + 5, mono: 0 }).verify('card.read', { ticket: t }, ctx)),
    ).toBe('TICKET_INVALID: nonce already used');
  });

  it('a ticket refused before its operation started stays usable after a restart', async () => {
    const dir = fresh();
    const t = await ticket();
    (await daemon(dir).verify('card.read', { ticket: t }, ctx))!.release();
    expect(
      await outcome(daemon(dir, { wall: T0 + 5, mono: 0 }).verify('card.read', { ticket: t }, ctx)),
    ).toBe('ok');
  });

  it('drops expired nonces, a torn last line and stale temp files at start', async () => {
    const dir = fresh();
    const file = join(dir, NONCE_JOURNAL_FILE);
    const d = daemon(dir);
    for (let i = 0; i < 3; i++) (await d.verify('card.read', { ticket: await ticket() }, ctx))!.spend();
    writeFileSync(file, `${readFileSync(file, 'utf8')}+ 18000`, { flag: 'w' }); // torn write
    writeFileSync(`${file}.4242.tmp`, 'half');
    // past every ticket's expiry plus skew: all forgotten, the file rewritten empty
    daemon(dir, { wall: T0 + 120 + CLOCK_SKEW_S + 1, mono: 0 });
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(existsSync(`${file}.4242.tmp`)).toBe(false);
  });

  it('refuses the ticket, usable later, when its nonce cannot be written; refuses to start on an unreadable journal', async () => {
    const dir = fresh();
    const sub = join(dir, 'data');
    mkdirSync(sub);
    const d = daemon(sub);
    // the data directory disappears under the daemon (a path that cannot be opened any more)
    rmSync(sub, { recursive: true });
    writeFileSync(sub, 'not a directory');
    const t = await ticket();
    const e = await outcome(d.verify('card.read', { ticket: t }, ctx));
    expect(e).toBe('INTERNAL');
    rmSync(sub);
    mkdirSync(sub);
    expect(await outcome(d.verify('card.read', { ticket: t }, ctx))).toBe('ok');

    mkdirSync(join(dir, 'bad'));
    mkdirSync(join(dir, 'bad', NONCE_JOURNAL_FILE)); // a directory where the file should be
    expect(() => daemon(join(dir, 'bad'))).toThrow(/nonce journal/);
  });
});

describe('wall clock jumps (tickets)', () => {
  it('forward: tickets look expired; a live nonce is not forgotten, so a replay fails after the clock is fixed', async () => {
    const d = daemon(undefined, { wall: T0, mono: 0 }, 1);
    const t = await ticket();
    (await d.verify('card.read', { ticket: t }, ctx))!.spend();
    // +1 h on the wall clock, 5 s really
    d.clock.wall = T0 + 3600;
    d.clock.mono = 5;
    expect(await outcome(d.verify('card.read', { ticket: await ticket() }, ctx))).toBe(
      'TICKET_INVALID: expired',
    );
    // a ticket minted by a backend whose clock jumped too: the cache is full of a live nonce
    expect(await outcome(d.verify('card.read', { ticket: await ticket({}, T0 + 3600) }, ctx))).toBe('BUSY');
    // NTP puts the clock back: the old ticket is within its lifetime again, and still refused
    d.clock.wall = T0 + 10;
    d.clock.mono = 10;
    expect(await outcome(d.verify('card.read', { ticket: t }, ctx))).toBe(
      'TICKET_INVALID: nonce already used',
    );
  });

  it('backward: fresh tickets look issued in the future and are refused; used ones stay refused', async () => {
    const d = daemon(undefined, { wall: T0, mono: 0 });
    const t = await ticket();
    (await d.verify('card.read', { ticket: t }, ctx))!.spend();
    d.clock.wall = T0 - 600;
    d.clock.mono = 1;
    expect(await outcome(d.verify('card.read', { ticket: await ticket() }, ctx))).toBe(
      'TICKET_INVALID: issued in the future',
    );
    expect(await outcome(d.verify('card.read', { ticket: t }, ctx))).toBe(
      'TICKET_INVALID: issued in the future',
    );
    // back to the right time: the replay is still caught by its nonce
    d.clock.wall = T0 + 2;
    d.clock.mono = 2;
    expect(await outcome(d.verify('card.read', { ticket: t }, ctx))).toBe(
      'TICKET_INVALID: nonce already used',
    );
  });
});
