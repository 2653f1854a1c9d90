import { type ReceiptInput, receiptHash } from '../receipts/receipt-claims.ts';
import type { ReceiptSigner } from '../receipts/receipt-signer.ts';
import type { AuditLog } from './audit-log.ts';

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
  const receipt = await signer.sign(input);
  await audit.append({ ...input, receiptHash: receiptHash(receipt) });
  return receipt;
}
