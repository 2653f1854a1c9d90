import type { JWK } from 'jose';
import {
  type ReceiptExpectations,
  VerificationError,
  verifyReceiptChain as verifyChainWithPackage,
  verifyReceipt as verifyWithPackage,
} from '../../packages/verifier/src/index.ts';
import { BridgeError } from '../../protocols/errors.ts';
import type { ReceiptClaims } from './receipt-claims.ts';

/**
 * The daemon's side of receipt checking (`ektp-bridge receipt verify`) is the backends' package,
 * packages/verifier: one implementation of docs/receipts-and-tickets.md, here with the daemon's
 * error vocabulary (RECEIPT_INVALID, with the failed check's reason in `detail.check`).
 */
function invalid(e: VerificationError): BridgeError {
  return new BridgeError('RECEIPT_INVALID', `receipt invalid: ${e.message}`, {
    reason: e.reason,
    check: e.reason,
  });
}

/**
 * For backends: checks one receipt against the device public key a counter PC registered
 * (`ektp-bridge keys show`, or system.info.devicePublicKey) and returns its claims. Throws
 * RECEIPT_INVALID when the alg is not ES256, the signature does not match, `iss` / `kid` is not that
 * device, or a forwarded card / image / nonce given in `expect` is not the one the receipt binds.
 */
export async function verifyReceipt(
  jws: string,
  devicePublicJwk: JWK,
  expect: ReceiptExpectations = {},
): Promise<ReceiptClaims> {
  try {
    return (await verifyWithPackage(jws, devicePublicJwk, expect)) as ReceiptClaims;
  } catch (e) {
    if (e instanceof VerificationError) throw invalid(e);
    throw new BridgeError('RECEIPT_INVALID', 'receipt invalid: the device key is not an EC public JWK');
  }
}

export interface ReceiptChainResult {
  ok: boolean;
  /** index of the first receipt that is invalid or does not link to the one before it */
  brokenAt?: number;
  reason?: string;
  /** the failed check (docs/receipts-and-tickets.md reason code) */
  check?: string;
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
  const r = await verifyChainWithPackage(jwsList, devicePublicJwk, opts);
  const claims = r.claims as ReceiptClaims[];
  if (r.ok) return { ok: true, claims };
  return { ok: false, brokenAt: r.brokenAt, reason: r.message, check: r.reason, claims };
}
