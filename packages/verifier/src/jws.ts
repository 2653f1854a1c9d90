import { type CryptoKey, compactVerify, errors, importJWK, type JWK, type KeyObject } from 'jose';
import { VerificationError } from './reasons.ts';

export type PublicKeyInput = JWK | CryptoKey | KeyObject;

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * The first checks of docs/receipts-and-tickets.md ("JWS"), shared by receipts and tickets, in the
 * document's order: compact form (and at most `maxLength` characters, for tickets); a header that
 * is a JSON object (else MALFORMED); `alg` exactly ES256, read BEFORE any key is tried so `none` and
 * HS256 are refused by name (ALG_NOT_ES256); no `crit` (MALFORMED); an ES256 signature (64-byte
 * r||s) by one of `keys`; a JSON object payload. JSON text must be well-formed UTF-8 without a BOM.
 */
export async function verifyEs256(
  token: unknown,
  keys: readonly PublicKeyInput[],
  opts: { maxLength?: number } = {},
): Promise<DecodedJws> {
  if (typeof token !== 'string') throw new VerificationError('MALFORMED', 'not a string');
  if (opts.maxLength !== undefined && token.length > opts.maxLength) {
    throw new VerificationError('MALFORMED', `longer than ${opts.maxLength} characters`);
  }
  if (!COMPACT.test(token)) {
    throw new VerificationError('MALFORMED', 'not a compact JWS (three base64url parts)');
  }
  const [h] = token.split('.');
  const header = jsonObject(Buffer.from(h, 'base64url'), 'header');
  if (header.alg !== 'ES256') throw new VerificationError('ALG_NOT_ES256', 'alg is not ES256');
  if (header.crit !== undefined) throw new VerificationError('MALFORMED', 'crit header not supported');
  let payload: Uint8Array | undefined;
  for (const key of keys) {
    // only the public half of a JWK is used, even if a private one was passed by mistake
    const k = isJwk(key) ? await importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ES256') : key;
    try {
      ({ payload } = await compactVerify(token, k, { algorithms: ['ES256'] }));
      break;
    } catch (e) {
      if (e instanceof errors.JWSSignatureVerificationFailed) continue;
      throw new VerificationError('MALFORMED', `not a valid JWS (${(e as Error).message})`);
    }
  }
  if (!payload) throw new VerificationError('BAD_SIGNATURE', 'the signature does not match the key');
  return { header, claims: jsonObject(payload, 'payload') };
}

/** RFC 8259 §8.1: JSON text is UTF-8; bytes that are not (latin-1...) or a BOM are refused, never replaced. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function jsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(UTF8.decode(bytes));
  } catch {
    throw new VerificationError('MALFORMED', `${what} is not JSON (UTF-8)`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new VerificationError('MALFORMED', `${what} is not a JSON object`);
  }
  return v as Record<string, unknown>;
}

function isJwk(k: PublicKeyInput): k is JWK {
  return typeof (k as JWK).kty === 'string';
}
