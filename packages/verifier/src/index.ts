/**
 * @ektp-bridge/verifier: what a claim backend needs to trust an ektp-bridge daemon, with no daemon
 * code. The contract is docs/receipts-and-tickets.md, not this code: the test vectors beside it are
 * checked by this package and by an implementation in another language.
 */
export {
  candidatesDigest,
  canonicalJson,
  cardDigest,
  decodeImageBase64,
  imageDigest,
  RECEIPT_GENESIS,
  receiptHash,
  sha256Base64url,
  templatesDigest,
} from './digests.ts';
export { GALLERY_TYPE, type GalleryEntry, type GalleryRequest, signGallery } from './gallery.ts';
export type { PublicKeyInput } from './jws.ts';
export { REASONS, type Reason, TICKET_REASONS, VerificationError } from './reasons.ts';
export {
  type ChainEntry,
  type ChainOptions,
  type ChainResult,
  CLOCK_SKEW_S,
  deviceIdOf,
  type ReceiptClaims,
  type ReceiptExpectations,
  verifyReceipt,
  verifyReceiptChain,
} from './receipts.ts';
export {
  checkTicket,
  isValidNonce,
  MAX_NONCE_LENGTH,
  MAX_TICKET_LENGTH,
  MAX_TICKET_LIFETIME_S,
  mintTicket,
  TICKET_CLOCK_SKEW_S,
  type TicketClaims,
  type TicketContext,
  type TicketRequest,
} from './tickets.ts';
