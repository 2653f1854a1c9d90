/**
 * Why a receipt or a ticket is refused: one stable code per check of docs/receipts-and-tickets.md.
 * The test vectors' manifests name the same codes, so an implementation in any language can be
 * compared with this one reason by reason.
 */
export const REASONS = [
  'MALFORMED',
  'ALG_NOT_ES256',
  'BAD_SIGNATURE',
  'MISSING_CLAIM',
  'WRONG_ISSUER',
  'CHAIN_BROKEN',
  'CARD_DIGEST_MISMATCH',
  'IMAGE_DIGEST_MISMATCH',
  'CANDIDATES_DIGEST_MISMATCH',
  'NONCE_MISMATCH',
  'IAT_IN_FUTURE',
  'WRONG_AUDIENCE',
  'WRONG_ORIGIN',
  'WRONG_OP',
  'LIFETIME_TOO_LONG',
  'EXPIRED',
  'NOT_YET_VALID',
  'NONCE_REPLAYED',
] as const;

export type Reason = (typeof REASONS)[number];

export class VerificationError extends Error {
  override name = 'VerificationError';
  constructor(
    readonly reason: Reason,
    message: string,
    /** for chains: index of the receipt that broke the run */
    readonly index?: number,
  ) {
    super(message);
  }
}
