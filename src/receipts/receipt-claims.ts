import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.ts';

/**
 * What a service knows when it finishes a card.read, finger.verify or finger.capture (api-v1.md
 * "Receipts", docs/receipts-and-tickets.md). Claims with no value are left out, never sent empty.
 */
export interface ReceiptInput {
  op: 'card.read' | 'finger.verify' | 'finger.capture' | 'finger.identify';
  /** the ticket's nonce, when the request carried a ticket */
  nonce?: string;
  /** the connection's Origin */
  origin: string;
  /** only when biodata was read (absent, not empty, otherwise) */
  nik?: string;
  /** card.read and finger.verify */
  chipSerial?: string;
  documentSignature?: 'valid' | 'invalid' | 'not-checked';
  /**
   * card.read: cardDigestOf(result.card) of this read. finger.verify: the cardDigest of the
   * card.read whose templates were compared, when that read returned a card record.
   */
  cardDigest?: string;
  /** finger.verify: templatesDigestOf(the ISO 19794-2 records compared against) */
  templatesDigest?: string;
  /** finger.capture: sha256Digest(the PNG bytes of result.image) */
  imageDigest?: string;
  /** finger.identify: the gallery searched, and which version of it (its file's SHA-256) */
  gallery?: string;
  galleryDigest?: string;
  /** finger.identify: sha256Digest(RFC 8785 canonical JSON of result.candidates) */
  candidatesDigest?: string;
  /** finger.verify only */
  matched?: boolean;
  finger?: number;
  score?: number;
  threshold?: number;
  /** finger.verify and finger.capture: the sensor id, its driver, model and (when known) serial */
  sensor?: string;
  sensorDriver?: string;
  sensorModel?: string;
  sensorSerial?: string;
  /** the daemon's version (package version) */
  daemonVersion?: string;
}

/** The signed claims: the input plus what the signer adds. */
export interface ReceiptClaims extends ReceiptInput {
  /** the device id (RFC 7638 thumbprint of the device key) */
  iss: string;
  /** seconds since the epoch */
  iat: number;
  /** receiptHash() of the device's previous receipt, or RECEIPT_GENESIS for the first */
  prev: string;
}

/**
 * `prev` of a device's first receipt: base64url of 32 zero bytes, i.e. the hash of "nothing before".
 * Documented in docs/security.md; a backend that sees it knows the chain starts here.
 */
export const RECEIPT_GENESIS = Buffer.alloc(32).toString('base64url');

/** base64url(SHA-256(bytes)), or of a string's UTF-8 bytes: the one digest form receipts use. */
export function sha256Digest(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('base64url');
}

/** base64url(SHA-256(compact JWS as ASCII)): what the next receipt's `prev` holds. */
export function receiptHash(jws: string): string {
  return createHash('sha256').update(jws, 'ascii').digest('base64url');
}

/**
 * `cardDigest`: base64url(SHA-256(UTF-8 of the RFC 8785 canonical JSON of `result.card`)), computed
 * on the very object that is sent, so a backend recomputes it from the record the browser forwards.
 */
export function cardDigestOf(card: Record<string, unknown>): string {
  return sha256Digest(canonicalJson(card));
}

/**
 * `templatesDigest`: base64url(SHA-256 of the ISO/IEC 19794-2 records compared against, concatenated
 * in the card's order). Each record states its own length in its header, so the concatenation is
 * unambiguous; a backend holding the card's templates (from the population register) recomputes it.
 */
export function templatesDigestOf(records: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(r);
  return h.digest('base64url');
}
