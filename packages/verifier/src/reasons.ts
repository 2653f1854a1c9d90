/** The checks every compact JWS goes through, receipt or ticket. */
const JWS_REASONS = ['MALFORMED', 'ALG_NOT_ES256', 'BAD_SIGNATURE', 'MISSING_CLAIM'] as const;

const RECEIPT_ONLY = [
  'WRONG_ISSUER',
  'CHAIN_BROKEN',
  'CARD_DIGEST_MISMATCH',
  'IMAGE_DIGEST_MISMATCH',
  'CANDIDATES_DIGEST_MISMATCH',
  'NONCE_MISMATCH',
  'IAT_IN_FUTURE',
] as const;

const TICKET_ONLY = [
  'WRONG_AUDIENCE',
  'WRONG_ORIGIN',
  'WRONG_OP',
  'LIFETIME_TOO_LONG',
  'EXPIRED',
  'NOT_YET_VALID',
  'NONCE_REPLAYED',
] as const;

/**
 * Why a receipt or a ticket is refused: one stable code per check of docs/receipts-and-tickets.md.
 * The test vectors' manifests name the same codes, so an implementation in any language can be
 * compared with this one reason by reason.
 */
export const REASONS = [...JWS_REASONS, ...RECEIPT_ONLY, ...TICKET_ONLY] as const;

/**
 * The codes of "Checking a ticket", in the order of its checks. The daemon's TICKET_INVALID carries
 * them as `data.detail.reason`, so the daemon and a backend's checker name a refusal alike.
 */
export const TICKET_REASONS = [...JWS_REASONS, ...TICKET_ONLY] as const;

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
