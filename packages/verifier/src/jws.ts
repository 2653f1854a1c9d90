import { type CryptoKey, compactVerify, errors, importJWK, type JWK, type KeyObject } from 'jose';
import { VerificationError } from './reasons.ts';

export type PublicKeyInput = JWK | CryptoKey | KeyObject;

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * The first checks of docs/receipts-and-tickets.md, shared by receipts and tickets: compact form,
 * a JSON object header with alg exactly ES256 (read BEFORE any key is tried, so `none` and HS256
 * are refused by name), an ES256 signature (64-byte r||s) by one of `keys`, a JSON object payload.
 */
export async function verifyEs256(token: unknown, keys: readonly PublicKeyInput[]): Promise<DecodedJws> {
  if (typeof token !== 'string' || !COMPACT.test(token)) {
    throw new VerificationError('MALFORMED', 'not a compact JWS (three base64url parts)');
  }
  const [h] = token.split('.');
  const header = jsonObject(h, 'header');
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
  return { header, claims: jsonObject(Buffer.from(payload).toString('base64url'), 'payload') };
}

function jsonObject(part: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new VerificationError('MALFORMED', `${what} is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new VerificationError('MALFORMED', `${what} is not a JSON object`);
  }
  return v as Record<string, unknown>;
}

function isJwk(k: PublicKeyInput): k is JWK {
  return typeof (k as JWK).kty === 'string';
}
