/** The audit trail: an append-only, hash-chained JSON-lines log of card.read and finger.verify results. */
export {
  AUDIT_GENESIS,
  type AuditEntry,
  type AuditRecord,
  hashEntry,
  pickAuditFields,
  receiptView,
} from './audit-entry.ts';
export { chainFiles, rotatedFiles } from './audit-files.ts';
export {
  type AuditKey,
  auditKeyFromDeviceKey,
  checkpointSignatureValid,
  entryMac,
  macMatches,
  signCheckpoint,
} from './audit-key.ts';
export {
  AUDIT_LOG_FILE,
  type AuditLog,
  auditLogPath,
  DEFAULT_CHECKPOINT_EVERY,
  type OpenAuditLogOptions,
  openAuditLog,
} from './audit-log.ts';
export { canonicalJson } from './canonical-json.ts';
export { auditRecordFromReceipt } from './from-receipt.ts';
export { signAndRecord } from './sign-and-record.ts';
export { type AuditVerifyOptions, type AuditVerifyResult, verifyAuditLog } from './verify-audit-log.ts';
export { type VerifyTrailOptions, verifyAuditTrail } from './verify-trail.ts';
