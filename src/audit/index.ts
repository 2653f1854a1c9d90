/** The audit trail: an append-only, hash-chained JSON-lines log of card.read and finger.verify results. */
export {
  AUDIT_GENESIS,
  type AuditEntry,
  type AuditRecord,
  hashEntry,
  pickAuditFields,
} from './audit-entry.ts';
export {
  AUDIT_LOG_FILE,
  type AuditLog,
  auditLogPath,
  type OpenAuditLogOptions,
  openAuditLog,
} from './audit-log.ts';
export { canonicalJson } from './canonical-json.ts';
export { auditRecordFromReceipt } from './from-receipt.ts';
export { signAndRecord } from './sign-and-record.ts';
export { type AuditVerifyResult, verifyAuditLog } from './verify-audit-log.ts';
