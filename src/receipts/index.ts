/** Receipts (api-v1.md "Receipts"): signing in the daemon, checking on the backend. */
export { type ChainHead, loadChainHead } from './chain-head.ts';
export {
  cardDigestOf,
  RECEIPT_GENESIS,
  type ReceiptClaims,
  type ReceiptInput,
  receiptHash,
  sha256Digest,
  templatesDigestOf,
} from './receipt-claims.ts';
export {
  createReceiptSigner,
  RECEIPT_CHAIN_FILE,
  type ReceiptSigner,
  type ReceiptSignerOptions,
} from './receipt-signer.ts';
export { type ReceiptChainResult, verifyReceipt, verifyReceiptChain } from './verify-receipt.ts';
