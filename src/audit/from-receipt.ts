import type { ReceiptClaims } from '../receipts/receipt-claims.ts';
import { receiptHash } from '../receipts/receipt-claims.ts';
import type { AuditRecord } from './audit-entry.ts';

/** The audit entry for a result: what its receipt holds, plus the receipt's hash. */
export function auditRecordFromReceipt(claims: ReceiptClaims, receipt: string): AuditRecord {
  const { iss: _iss, iat: _iat, prev: _prev, ...held } = claims;
  return { ...held, receiptHash: receiptHash(receipt) };
}
