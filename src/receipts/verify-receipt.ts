import { calculateJwkThumbprint, compactVerify, type JWK, errors as joseErrors } from 'jose';
import { BridgeError } from '../../protocols/errors.ts';
import { RECEIPT_GENESIS, type ReceiptClaims, receiptHash } from './receipt-claims.ts';

function invalid(why: string): BridgeError {
  return new BridgeError('RECEIPT_INVALID', `receipt invalid: ${why}`, { check: why });
}

/**
 * For backends: checks one receipt against the device public key a counter PC registered
 * (`ektp-bridge keys show`, or system.info.devicePublicKey) and returns its claims. Throws
 * RECEIPT_INVALID when the alg is not ES256, the signature does not match, or `iss` / `kid` is not
 * that device. It does not judge the claims' meaning: the backend compares `nonce` with the ticket
 * it issued and `matched` with what it expects.
 */
export async function verifyReceipt(jws: string, devicePublicJwk: JWK): Promise<ReceiptClaims> {
  if (typeof jws !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) {
    throw invalid('not a compact JWS');
  }
  const deviceId = devicePublicJwk.kid ?? (await thumbprint(devicePublicJwk));
  let payload: Uint8Array;
  let header: { alg?: string; kid?: string };
  try {
    ({ payload, protectedHeader: header } = await compactVerify(jws, devicePublicJwk, {
      algorithms: ['ES256'],
    }));
  } catch (e) {
    if (e instanceof joseErrors.JOSEAlgNotAllowed) throw invalid('alg is not ES256');
    if (e instanceof joseErrors.JWSSignatureVerificationFailed)
      throw invalid('signature does not match the device key');
    if (e instanceof joseErrors.JOSEError) throw invalid(`malformed (${e.code})`);
    throw invalid('malformed');
  }
  let claims: ReceiptClaims;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw invalid('payload is not JSON');
  }
  if (typeof claims !== 'object' || claims === null) throw invalid('payload is not an object');
  if (claims.iss !== deviceId) throw invalid('iss is not this device');
  if (header.kid !== undefined && header.kid !== deviceId) throw invalid('kid is not this device');
  if (typeof claims.iat !== 'number' || typeof claims.prev !== 'string' || typeof claims.op !== 'string') {
    throw invalid('iat, prev or op missing');
  }
  return claims;
}

export interface ReceiptChainResult {
  ok: boolean;
  /** index of the first receipt that is invalid or does not link to the one before it */
  brokenAt?: number;
  reason?: string;
  /** claims of each receipt checked, in order, up to the break */
  claims: ReceiptClaims[];
}

/**
 * Checks a run of consecutive receipts of one device: each is valid and its `prev` is the hash of
 * the one before. A receipt removed, reordered or edited breaks the run at that point. The first
 * receipt's own `prev` can only be checked when the run starts at the device's first receipt: pass
 * `fromGenesis: true` then (a backend usually sees a slice of the chain, not all of it).
 */
export async function verifyReceiptChain(
  jwsList: string[],
  devicePublicJwk: JWK,
  opts: { fromGenesis?: boolean } = {},
): Promise<ReceiptChainResult> {
  const claims: ReceiptClaims[] = [];
  let expectedPrev: string | undefined = opts.fromGenesis ? RECEIPT_GENESIS : undefined;
  for (let i = 0; i < jwsList.length; i++) {
    let c: ReceiptClaims;
    try {
      c = await verifyReceipt(jwsList[i], devicePublicJwk);
    } catch (e) {
      return { ok: false, brokenAt: i, reason: (e as Error).message, claims };
    }
    if (expectedPrev !== undefined && c.prev !== expectedPrev) {
      const reason =
        i === 0
          ? 'the first receipt does not start the chain'
          : 'prev is not the hash of the receipt before it';
      return { ok: false, brokenAt: i, reason, claims };
    }
    claims.push(c);
    expectedPrev = receiptHash(jwsList[i]);
  }
  return { ok: true, claims };
}

async function thumbprint(jwk: JWK): Promise<string> {
  try {
    return await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv, x: jwk.x, y: jwk.y });
  } catch {
    throw invalid('the device key is not an EC public JWK');
  }
}
