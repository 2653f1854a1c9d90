import { type ReceiptInput, receiptHash } from '../receipts/receipt-claims.ts';
import type { ReceiptSigner } from '../receipts/receipt-signer.ts';
import type { AuditLog } from './audit-log.ts';
import { storageWriteError } from './write-error.ts';

/**
 * The last step of card.read and finger.verify (architecture.md: "receipt → audit log entry →
 * response"): signs the receipt, appends its audit entry, and resolves with the receipt only once
 * that entry is on disk. If the audit write fails the caller gets the error instead of a receipt,
 * so no result leaves the daemon unrecorded.
 */
export async function signAndRecord(
  signer: ReceiptSigner,
  audit: AuditLog,
  input: ReceiptInput,
): Promise<string> {
  let receipt: string;
  try {
    receipt = await signer.sign(input);
  } catch (e) {
    // the chain head is saved before a receipt may go out: on a full or read-only disk it cannot be
    throw storageWriteError('receipt chain head', 'RECEIPT_CHAIN_WRITE_FAILED', e);
  }
  await audit.append({ ...input, receiptHash: receiptHash(receipt) });
  return receipt;
}
