import { randomBytes } from 'node:crypto';
import { CompactSign, type CryptoKey, importJWK, type JWK, type KeyObject } from 'jose';
import { type PublicKeyInput, verifyEs256 } from './jws.ts';
import { VerificationError } from './reasons.ts';

/** The daemon refuses a ticket valid for longer than this (seconds, `exp - iat`). */
export const MAX_TICKET_LIFETIME_S = 300;
/** Clock difference the daemon tolerates on `iat` and `exp` (seconds). */
export const TICKET_CLOCK_SKEW_S = 30;
/** A ticket longer than this many characters is refused (MALFORMED) before anything else is read. */
export const MAX_TICKET_LENGTH = 8192;
/** A nonce holds 1..256 Unicode code points (a character outside the BMP counts once). */
export const MAX_NONCE_LENGTH = 256;

/**
 * The nonce rule of docs/receipts-and-tickets.md: 1..MAX_NONCE_LENGTH Unicode code points, well-formed
 * (no lone surrogate). Code points, not UTF-16 code units: `[...s]` counts U+1F600 once, as Python's
 * `len` does. Exported for backends that mint nonces of their own.
 */
export function isValidNonce(nonce: string): boolean {
  if (nonce === '' || /\p{Surrogate}/u.test(nonce)) return false;
  // at most 2 UTF-16 units per code point: only a long string needs counting
  return nonce.length <= MAX_NONCE_LENGTH || [...nonce].length <= MAX_NONCE_LENGTH;
}

/** A ticket's payload (docs/receipts-and-tickets.md "Ticket claims"). */
export interface TicketClaims {
  aud: string;
  origin: string;
  op: string;
  scope: string[];
  nonce: string;
  iat: number;
  exp: number;
}

export interface TicketRequest {
  /** the daemon's device id, or `*` for any device */
  aud: string;
  /** the counter app's origin, exactly as the browser sends it */
  origin: string;
  /** the method the ticket allows, e.g. `card.read` */
  op: string;
  /** card fields allowed (`biodata`, `photo`, `signature`, `fingers`) */
  scope: string[];
  /** 1..300 seconds (default 120) */
  ttlSeconds?: number;
  /** default: 16 random bytes, base64url */
  nonce?: string;
  /** issue time in seconds (default now) */
  iat?: number;
}

/**
 * Mints a ticket as the daemon expects it: compact JWS, header {alg: ES256, typ: JWT, kid?}, the
 * claims of TicketClaims. Keep the nonce: the receipt of the operation echoes it.
 */
export async function mintTicket(
  privateKey: JWK | CryptoKey | KeyObject,
  req: TicketRequest,
  opts: { kid?: string } = {},
): Promise<{ ticket: string; claims: TicketClaims }> {
  const ttl = req.ttlSeconds ?? 120;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TICKET_LIFETIME_S) {
    throw new RangeError(`ttlSeconds must be 1..${MAX_TICKET_LIFETIME_S}`);
  }
  if (req.nonce !== undefined && !isValidNonce(req.nonce)) {
    throw new RangeError(`nonce must be 1..${MAX_NONCE_LENGTH} code points of well-formed Unicode`);
  }
  const iat = req.iat ?? Math.floor(Date.now() / 1000);
  const claims: TicketClaims = {
    aud: req.aud,
    origin: req.origin,
    op: req.op,
    scope: [...req.scope],
    nonce: req.nonce ?? randomBytes(16).toString('base64url'),
    iat,
    exp: iat + ttl,
  };
  const key = isJwk(privateKey) ? await importJWK({ ...privateKey, alg: 'ES256' }, 'ES256') : privateKey;
  const ticket = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(opts.kid ? { kid: opts.kid } : {}) })
    .sign(key);
  return { ticket, claims };
}

export interface TicketContext {
  /** the daemon's device id */
  deviceId: string;
  /** the Origin of the connection presenting the ticket */
  origin: string;
  /** the method called */
  op: string;
  /** seconds (default now) */
  now?: number;
  /** nonces already accepted and not yet expired; a hit is NONCE_REPLAYED, a pass is added */
  seenNonces?: Set<string>;
}

/**
 * The daemon's checks of a ticket, in its order (docs/receipts-and-tickets.md "Checking a ticket"),
 * for a backend's own tests of what it mints. Throws VerificationError; returns the claims.
 */
export async function checkTicket(
  ticket: string,
  backendKeys: readonly PublicKeyInput[],
  ctx: TicketContext,
): Promise<TicketClaims> {
  const { claims: c } = await verifyEs256(ticket, backendKeys, { maxLength: MAX_TICKET_LENGTH });
  for (const name of ['aud', 'origin', 'op', 'nonce'] as const) {
    if (typeof c[name] !== 'string' || c[name] === '') {
      throw new VerificationError('MISSING_CLAIM', `${name} missing or not a string`);
    }
  }
  for (const name of ['iat', 'exp'] as const) {
    if (typeof c[name] !== 'number' || !Number.isFinite(c[name])) {
      throw new VerificationError('MISSING_CLAIM', `${name} missing or not a number`);
    }
  }
  if (!Array.isArray(c.scope) || !c.scope.every((s) => typeof s === 'string')) {
    throw new VerificationError('MISSING_CLAIM', 'scope is not an array of strings');
  }
  const t = c as unknown as TicketClaims;
  if (!isValidNonce(t.nonce)) {
    throw new VerificationError(
      'MISSING_CLAIM',
      `nonce longer than ${MAX_NONCE_LENGTH} code points or not well-formed Unicode`,
    );
  }
  if (t.aud !== ctx.deviceId && t.aud !== '*') throw new VerificationError('WRONG_AUDIENCE', 'aud');
  if (t.origin !== ctx.origin) throw new VerificationError('WRONG_ORIGIN', 'origin');
  if (t.op !== ctx.op) throw new VerificationError('WRONG_OP', 'op');
  if (t.exp <= t.iat || t.exp - t.iat > MAX_TICKET_LIFETIME_S) {
    throw new VerificationError('LIFETIME_TOO_LONG', `exp must be 1..${MAX_TICKET_LIFETIME_S} s after iat`);
  }
  const now = ctx.now ?? Date.now() / 1000;
  if (t.exp + TICKET_CLOCK_SKEW_S <= now) throw new VerificationError('EXPIRED', 'expired');
  if (t.iat - TICKET_CLOCK_SKEW_S > now) throw new VerificationError('NOT_YET_VALID', 'issued in the future');
  if (ctx.seenNonces) {
    if (ctx.seenNonces.has(t.nonce)) throw new VerificationError('NONCE_REPLAYED', 'nonce already used');
    ctx.seenNonces.add(t.nonce);
  }
  return t;
}

function isJwk(k: JWK | CryptoKey | KeyObject): k is JWK {
  return typeof (k as JWK).kty === 'string';
}
