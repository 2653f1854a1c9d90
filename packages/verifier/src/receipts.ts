import { calculateJwkThumbprint, type JWK } from 'jose';
import { candidatesDigest, cardDigest, imageDigest, RECEIPT_GENESIS, receiptHash } from './digests.ts';
import { verifyEs256 } from './jws.ts';
import { VerificationError } from './reasons.ts';

/** Allowed difference between the daemon's clock and the backend's, in seconds. */
export const CLOCK_SKEW_S = 30;

/** A receipt's payload (docs/receipts-and-tickets.md "Receipt claims"); new claims may appear. */
export interface ReceiptClaims {
  iss: string;
  iat: number;
  prev: string;
  op: string;
  origin: string;
  nonce?: string;
  daemonVersion?: string;
  nik?: string;
  chipSerial?: string;
  documentSignature?: 'valid' | 'invalid' | 'not-checked';
  cardDigest?: string;
  templatesDigest?: string;
  imageDigest?: string;
  gallery?: string;
  galleryDigest?: string;
  candidatesDigest?: string;
  matched?: boolean;
  finger?: number;
  score?: number;
  threshold?: number;
  sensor?: string;
  sensorDriver?: string;
  sensorModel?: string;
  sensorSerial?: string;
  [claim: string]: unknown;
}

/** What the backend knows besides the receipt; each check runs only when its input is given. */
export interface ReceiptExpectations {
  /** `result.card` as the browser forwarded it: must match the receipt's `cardDigest` */
  card?: Record<string, unknown>;
  /** `result.image` (base64 or bytes) as forwarded: must match the receipt's `imageDigest` */
  image?: string | Uint8Array;
  /** `result.candidates` of finger.identify as forwarded: must match the receipt's `candidatesDigest` */
  candidates?: readonly unknown[];
  /** the nonce of the ticket the backend issued for this operation */
  nonce?: string;
  /** verification time in seconds (default now): `iat` may not be later than this + CLOCK_SKEW_S */
  now?: number;
}

/**
 * Checks one receipt against the device's registered public JWK (docs/receipts-and-tickets.md
 * "Checking a receipt") and returns its claims. Throws VerificationError with the failed check's
 * reason. The meaning (`matched`, `op`) is the caller's to judge.
 */
export async function verifyReceipt(
  jws: string,
  deviceJwk: JWK,
  expect: ReceiptExpectations = {},
): Promise<ReceiptClaims> {
  const { header, claims } = await verifyEs256(jws, [deviceJwk]);
  const deviceId = await deviceIdOf(deviceJwk);
  const c = claims as ReceiptClaims;
  if (
    typeof c.iss !== 'string' ||
    typeof c.iat !== 'number' ||
    typeof c.prev !== 'string' ||
    typeof c.op !== 'string' ||
    typeof c.origin !== 'string'
  ) {
    throw new VerificationError('MISSING_CLAIM', 'iss, iat, prev, op or origin missing');
  }
  if (c.iss !== deviceId) throw new VerificationError('WRONG_ISSUER', 'iss is not this device');
  if (header.kid !== undefined && header.kid !== deviceId) {
    throw new VerificationError('WRONG_ISSUER', 'kid is not this device');
  }
  const now = expect.now ?? Math.floor(Date.now() / 1000);
  if (c.iat > now + CLOCK_SKEW_S) throw new VerificationError('IAT_IN_FUTURE', 'iat is in the future');
  if (expect.nonce !== undefined && c.nonce !== expect.nonce) {
    throw new VerificationError('NONCE_MISMATCH', 'nonce is not the one of the ticket issued');
  }
  if (expect.card !== undefined && c.cardDigest !== cardDigest(expect.card)) {
    throw new VerificationError('CARD_DIGEST_MISMATCH', 'the card record is not the one the receipt signs');
  }
  if (expect.image !== undefined && c.imageDigest !== forwardedImageDigest(expect.image)) {
    throw new VerificationError('IMAGE_DIGEST_MISMATCH', 'the image is not the one the receipt signs');
  }
  if (expect.candidates !== undefined && c.candidatesDigest !== candidatesDigest(expect.candidates)) {
    throw new VerificationError(
      'CANDIDATES_DIGEST_MISMATCH',
      'the candidates are not the ones the receipt signs',
    );
  }
  return c;
}

/** A forwarded image's digest; text that is not the daemon's base64 binds no image (undefined). */
function forwardedImageDigest(image: string | Uint8Array): string | undefined {
  try {
    return imageDigest(image);
  } catch (e) {
    if (e instanceof TypeError) return undefined;
    throw e;
  }
}

/**
 * One receipt of a chain with what was forwarded with it: each given value is checked as by
 * verifyReceipt, before the chain rule (docs/receipts-and-tickets.md "Checking the chain").
 */
export interface ChainEntry {
  jws: string;
  card?: Record<string, unknown>;
  image?: string | Uint8Array;
  candidates?: readonly unknown[];
  nonce?: string;
}

export interface ChainOptions {
  /** the list starts at the device's first receipt: its `prev` must be the genesis value */
  fromGenesis?: boolean;
  /** receiptHash of the last receipt already accepted from this device: the list must continue it */
  after?: string;
  now?: number;
}

export interface ChainResult {
  ok: boolean;
  /** index of the first receipt that is invalid or does not link to the one before */
  brokenAt?: number;
  reason?: VerificationError['reason'];
  message?: string;
  claims: ReceiptClaims[];
  /** receiptHash of the last valid receipt: pass it as `after` next time */
  head?: string;
}

/**
 * Checks consecutive receipts of one device: each valid, each `prev` the hash of the one before.
 * An entry may come with what was forwarded with it (ChainEntry). For each entry the receipt's own
 * checks come first and the chain rule last, so an entry failing both is reported with its own
 * reason (e.g. CARD_DIGEST_MISMATCH), not CHAIN_BROKEN.
 */
export async function verifyReceiptChain(
  list: readonly (string | ChainEntry)[],
  deviceJwk: JWK,
  opts: ChainOptions = {},
): Promise<ChainResult> {
  const claims: ReceiptClaims[] = [];
  let expected = opts.fromGenesis ? RECEIPT_GENESIS : opts.after;
  let head: string | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const { jws, ...forwarded } = typeof item === 'string' ? { jws: item } : item;
    try {
      const c = await verifyReceipt(jws, deviceJwk, { ...forwarded, now: opts.now });
      if (expected !== undefined && c.prev !== expected) {
        throw new VerificationError('CHAIN_BROKEN', `receipt ${i}: prev is not the hash of the one before`);
      }
      claims.push(c);
    } catch (e) {
      if (!(e instanceof VerificationError)) throw e;
      return { ok: false, brokenAt: i, reason: e.reason, message: e.message, claims, head };
    }
    head = receiptHash(jws);
    expected = head;
  }
  return { ok: true, claims, head };
}

/**
 * The device id a receipt's `iss` holds: the RFC 7638 SHA-256 thumbprint of the device's public
 * key, always computed (a `kid` written into a registered JWK by hand is not trusted).
 */
export async function deviceIdOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv, x: jwk.x, y: jwk.y });
}
