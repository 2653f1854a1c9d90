import { createHash } from 'node:crypto';

/** What a service knows when it finishes a card.read or finger.verify (api-v1.md "Receipts"). */
export interface ReceiptInput {
  op: 'card.read' | 'finger.verify';
  /** the ticket's nonce, when the request carried a ticket */
  nonce?: string;
  /** the connection's Origin */
  origin: string;
  nik: string;
  chipSerial: string;
  documentSignature: 'valid' | 'invalid' | 'not-checked';
  /** finger.verify only */
  matched?: boolean;
  finger?: number;
  score?: number;
  threshold?: number;
  sensor?: string;
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

/** base64url(SHA-256(compact JWS as ASCII)): what the next receipt's `prev` holds. */
export function receiptHash(jws: string): string {
  return createHash('sha256').update(jws, 'ascii').digest('base64url');
}
