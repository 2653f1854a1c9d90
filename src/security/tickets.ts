import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompactSign, compactVerify, errors as joseErrors } from 'jose';
import { TICKET_REASONS } from '../../packages/verifier/src/reasons.ts';
import {
  TICKET_CLOCK_SKEW_S as CLOCK_SKEW_S,
  isValidNonce,
  MAX_NONCE_LENGTH,
  MAX_TICKET_LENGTH,
  MAX_TICKET_LIFETIME_S,
} from '../../packages/verifier/src/tickets.ts';
import { BridgeError } from '../../protocols/errors.ts';
import type { TicketKey } from '../config/types.ts';
import type { Authorize, TicketGrant } from '../server/method-registry.ts';
import type { TicketClaims } from '../services/types.ts';
import { type Instant, NonceCache } from './nonce-cache.ts';
import { NonceJournal } from './nonce-journal.ts';
import { importTicketKeys } from './ticket-keys.ts';

// The document's limits, from packages/verifier (one definition for the daemon and backends):
// exp at most 5 minutes after iat (api-v1.md); the clock drift tolerated (counters and backends keep
// NTP time, not perfectly); and the sizes that keep one ticket's cost and the replay cache small.
export {
  MAX_NONCE_LENGTH,
  MAX_TICKET_LENGTH,
  MAX_TICKET_LIFETIME_S,
  TICKET_CLOCK_SKEW_S as CLOCK_SKEW_S,
} from '../../packages/verifier/src/tickets.ts';
export const DEFAULT_NONCE_CAPACITY = 10_000;

export interface TicketVerifierOptions {
  /** backend public keys (security.ticketKeys): a ticket signed by any of them is accepted */
  keys: TicketKey[];
  /** this daemon's device id; tickets must name it (or `*`) in `aud` */
  deviceId: string;
  /** security.requireTickets: when false, a request without ticket passes (a bad ticket never does) */
  requireTickets: boolean;
  /** clock in milliseconds (Date.now by default) */
  now?: () => number;
  /** monotonic clock in milliseconds (performance.now by default); tests move both */
  monotonic?: () => number;
  /** how many live nonces the replay cache holds (default 10 000) */
  nonceCapacity?: number;
  /**
   * The nonce journal (dataDir/ticket-nonces.log, src/security/nonce-journal.ts): nonces survive a
   * restart. Absent: memory only (tests, `ektp-bridge ticket`).
   */
  nonceFile?: string;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The reason codes of docs/receipts-and-tickets.md "Checking a ticket", one per check. On the wire
 * they are `data.detail.reason` of TICKET_INVALID (stable, to branch on); `data.detail.check` says
 * the same in words (for people and logs; its text may change).
 */
export const TICKET_REFUSALS = [
  ...TICKET_REASONS,
  // not a check of the ticket itself: a field asked for explicitly that its `scope` does not allow
  'OUT_OF_SCOPE',
] as const;
export type TicketRefusal = (typeof TICKET_REFUSALS)[number];

/** TICKET_INVALID with the failed check's reason code and words; the token never goes into it. */
function invalid(reason: TicketRefusal, check: string): BridgeError {
  return new BridgeError('TICKET_INVALID', `ticket refused: ${check}`, { reason, check });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The `Authorize` seam of the server (api-v1.md "Authorisation"). Checks, in order: presence,
 * compact form, alg ES256 (the header is read first so `none`, HS256 and friends are refused by name,
 * never tried), the signature against each configured key, the claim types, `aud`, `origin`, `op`,
 * lifetime, expiry and issue time (with CLOCK_SKEW_S), and last the nonce, so that a ticket failing
 * any other check does not use up its nonce.
 *
 * A ticket that passes is a grant: its nonce is reserved (a second request with it gets BUSY while
 * the first runs), spent when the operation starts (`grant.spend()`), or released when it was
 * refused before starting (`grant.release()`: scope, BUSY, bad parameters), so the same ticket
 * works on a retry. docs/security.md "When a ticket's nonce is spent".
 *
 * A full replay cache (every stored nonce still live: more than `nonceCapacity` tickets within five
 * minutes) answers BUSY rather than TICKET_INVALID: the ticket is fine and the same ticket may be
 * retried a little later, whereas evicting a live nonce would let a replay through.
 */
export function createTicketVerifier(opts: TicketVerifierOptions): Authorize {
  const keys = importTicketKeys(opts.keys);
  const now = opts.now ?? Date.now;
  const monotonic = opts.monotonic ?? (() => performance.now());
  const nonces = new NonceCache(opts.nonceCapacity ?? DEFAULT_NONCE_CAPACITY);
  const instant = (): Instant => ({ wall: now() / 1000, mono: monotonic() / 1000 });
  const journal = opts.nonceFile ? openJournal(opts.nonceFile, nonces, instant()) : undefined;

  return async (method, params, ctx) => {
    const token = params.ticket;
    if (token === undefined || token === null || token === '') {
      if (opts.requireTickets)
        throw new BridgeError('TICKET_REQUIRED', `${method} needs a ticket from the backend`);
      return undefined;
    }
    // docs/receipts-and-tickets.md "Checking a ticket", steps 1-10 in order
    if (typeof token !== 'string') throw invalid('MALFORMED', 'not a string');
    if (token.length > MAX_TICKET_LENGTH) throw invalid('MALFORMED', 'too long');
    if (!COMPACT_JWS.test(token)) throw invalid('MALFORMED', 'not a compact JWS');
    const header = decodeJsonPart(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url'), 'header');
    if (header.alg !== 'ES256') {
      throw invalid('ALG_NOT_ES256', `alg ${describeAlg(header.alg)} not allowed (ES256 only)`);
    }
    if (header.crit !== undefined) throw invalid('MALFORMED', 'crit header not supported');
    if (keys.length === 0) {
      throw invalid('BAD_SIGNATURE', 'no backend key is configured (security.ticketKeys)');
    }

    const payload = await verifySignature(token, keys);
    const claims = parseClaims(payload);
    if (claims.aud !== opts.deviceId && claims.aud !== '*') {
      throw invalid('WRONG_AUDIENCE', 'aud is not this device');
    }
    if (claims.origin !== ctx.origin) throw invalid('WRONG_ORIGIN', 'origin does not match the connection');
    if (claims.op !== method) throw invalid('WRONG_OP', `op is not ${method}`);
    if (claims.exp <= claims.iat) throw invalid('LIFETIME_TOO_LONG', 'exp is not after iat');
    if (claims.exp - claims.iat > MAX_TICKET_LIFETIME_S) {
      throw invalid('LIFETIME_TOO_LONG', `valid for more than ${MAX_TICKET_LIFETIME_S} s`);
    }
    const at = instant();
    const t = at.wall;
    if (claims.exp + CLOCK_SKEW_S <= t) throw invalid('EXPIRED', 'expired');
    if (claims.iat - CLOCK_SKEW_S > t) throw invalid('NOT_YET_VALID', 'issued in the future');

    // Kept until the ticket can no longer pass the expiry check above, by the wall clock and by
    // its whole lifetime (plus skew on both ends) on the monotonic clock: see NonceCache.
    const lifetime = claims.exp - claims.iat + 2 * CLOCK_SKEW_S;
    const key = nonceKey(claims.nonce);
    const expiresAt = claims.exp + CLOCK_SKEW_S;
    const seen = nonces.reserve(key, expiresAt, lifetime, at);
    if (seen === 'replay') throw invalid('NONCE_REPLAYED', 'nonce already used');
    if (seen === 'in-use') throw new BridgeError('BUSY', 'this ticket is in use by another request');
    if (seen === 'full') throw new BridgeError('BUSY', 'too many tickets in the last minutes; retry shortly');
    if (journal) {
      try {
        // on disk before the operation may start: a restart must not forget it
        journal.reserved({ key, expiresAt, lifetime });
      } catch (e) {
        nonces.release(key);
        throw new BridgeError(
          'INTERNAL',
          `cannot record the ticket's nonce in ${journal.path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); the ticket stays usable`,
        );
      }
      compactIfLong(journal, nonces, at);
    }
    return grantFor(key, claims, nonces, journal);
  };
}

/** The cache and journal key of a nonce: fixed size whatever the backend put in it. */
function nonceKey(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url');
}

function openJournal(path: string, nonces: NonceCache, at: Instant): NonceJournal {
  const journal = new NonceJournal(path);
  let entries: ReturnType<NonceJournal['load']>;
  try {
    entries = journal.load(at.wall);
  } catch (e) {
    // Starting without it would open a replay window: say what to fix instead.
    throw new BridgeError(
      'INVALID_PARAMS',
      `cannot read or rewrite the ticket nonce journal ${path} (${(e as NodeJS.ErrnoException).code ?? e}); it must be readable and writable by the service user`,
    );
  }
  // After a crash nobody knows whether a reserved ticket's operation started: spent.
  for (const e of entries) nonces.remember(e.key, e.expiresAt, e.lifetime, at);
  return journal;
}

/** Rewrites the journal with the live nonces once it holds many more lines than the cache. */
function compactIfLong(journal: NonceJournal, nonces: NonceCache, at: Instant): void {
  if (journal.length <= 2 * nonces.capacity + 100) return;
  try {
    journal.rewrite(nonces.liveEntries(at));
  } catch {
    // only an optimisation: appending goes on, and a failed append refuses its ticket
  }
}

function grantFor(
  key: string,
  claims: TicketClaims,
  nonces: NonceCache,
  journal?: NonceJournal,
): TicketGrant {
  let settled = false;
  return {
    claims,
    spend() {
      if (settled) return;
      settled = true;
      // already on disk as reserved, which a restart treats as spent
      nonces.spend(key);
    },
    release() {
      if (settled) return;
      settled = true;
      nonces.release(key);
      journal?.released(key);
    },
  };
}

async function verifySignature(token: string, keys: KeyObject[]): Promise<Uint8Array> {
  for (const key of keys) {
    try {
      const { payload } = await compactVerify(token, key, { algorithms: ['ES256'] });
      return payload;
    } catch (e) {
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      // undecodable parts...: the token is bad whatever the key
      throw invalid('MALFORMED', e instanceof joseErrors.JOSEError ? `malformed (${e.code})` : 'malformed');
    }
  }
  throw invalid('BAD_SIGNATURE', 'signature does not match any backend key');
}

/** A header or payload: UTF-8 JSON text (not latin-1, no BOM: never repaired) holding an object. */
function decodeJsonPart(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes));
  } catch {
    throw invalid('MALFORMED', `${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('MALFORMED', `${what} is not an object`);
  return value as Record<string, unknown>;
}

function describeAlg(alg: unknown): string {
  // an attacker-chosen string, but short and harmless once clipped; anything else just by type
  return typeof alg === 'string' ? JSON.stringify(alg.slice(0, 16)) : typeof alg;
}

function parseClaims(payload: Uint8Array): TicketClaims {
  const c = decodeJsonPart(payload, 'payload');
  const str = (name: string) => {
    if (typeof c[name] !== 'string' || c[name] === '') {
      throw invalid('MISSING_CLAIM', `${name} missing or not a string`);
    }
    return c[name] as string;
  };
  const num = (name: string) => {
    if (typeof c[name] !== 'number' || !Number.isFinite(c[name]))
      throw invalid('MISSING_CLAIM', `${name} missing or not a number`);
    return c[name] as number;
  };
  const scope = c.scope;
  if (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string')) {
    throw invalid('MISSING_CLAIM', 'scope is not an array of strings');
  }
  const nonce = str('nonce');
  // the document's rule, as backends check it: code points, not UTF-16 units (256 emoji pass), and
  // no lone surrogate, which the receipt's and the audit log's canonical JSON (RFC 8785) cannot hold
  if (!isValidNonce(nonce)) {
    throw invalid(
      'MISSING_CLAIM',
      `nonce longer than ${MAX_NONCE_LENGTH} code points or not well-formed Unicode`,
    );
  }
  return {
    aud: str('aud'),
    origin: str('origin'),
    op: str('op'),
    scope: [...scope],
    nonce,
    iat: num('iat'),
    exp: num('exp'),
  };
}

/**
 * Signs a ticket as a backend would (ES256, compact). For tests and the development backend; real
 * backends use their own JOSE library with the same claims.
 */
export async function mintTicket(
  privateKey: KeyObject,
  claims: TicketClaims,
  opts: { kid?: string } = {},
): Promise<string> {
  const header = { alg: 'ES256', typ: 'JWT', ...(opts.kid ? { kid: opts.kid } : {}) };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(privateKey);
}
