import { createHash } from 'node:crypto';
import type { ReceiptInput } from '../receipts/receipt-claims.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * What the daemon records for one result: what the receipt holds (the claims of ReceiptInput,
 * listed once in receipt-claims.ts) plus the receipt's hash. The NIK is allowed (the trail must
 * identify the card); images, templates, photos and names are not, and pickAuditFields enforces
 * that whatever the caller passes.
 */
export interface AuditRecord extends ReceiptInput {
  /** receiptHash() of the receipt sent with the result */
  receiptHash?: string;
  /** the error code when the operation failed after the card was identified */
  error?: string;
}

/** One line of audit.log. */
export interface AuditEntry {
  /** 1 for the first line, +1 per line */
  seq: number;
  /** ISO 8601 time of writing */
  ts: string;
  /**
   * the operation; `repair` for the note the log writes after cutting a torn last line; `checkpoint`
   * for a line signed with the device key (audit-key.ts) that vouches for every line before it
   */
  type: AuditRecord['op'] | 'repair' | 'checkpoint';
  [field: string]: unknown;
  /** hash of the line before, or AUDIT_GENESIS for the first */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of this entry without `hash` and `mac` */
  hash: string;
  /** HMAC-SHA256 of `hash` under the audit key derived from the device key (absent in old logs) */
  mac?: string;
}

/** prevHash of the first line: 64 zeros (no line before). */
export const AUDIT_GENESIS = '0'.repeat(64);

const RECORD_FIELDS: ReadonlyArray<keyof AuditRecord> = [
  'op',
  'origin',
  'nonce',
  'nik',
  'chipSerial',
  'documentSignature',
  'cardDigest',
  'templatesDigest',
  'imageDigest',
  'gallery',
  'galleryDigest',
  'candidatesDigest',
  'matched',
  'finger',
  'score',
  'threshold',
  'sensor',
  'sensorDriver',
  'sensorModel',
  'sensorSerial',
  'daemonVersion',
  'receiptHash',
  'error',
];
/** Longer than any legitimate value (origin, nonce...), far shorter than an image. */
const MAX_VALUE_LENGTH = 512;

/**
 * Copies only the known fields, and only scalar values of bounded size, so that passing a whole
 * card record or verify result by mistake cannot put a photo or a template into the log.
 */
export function pickAuditFields(record: AuditRecord): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const k of RECORD_FIELDS) {
    const v = (record as unknown as Record<string, unknown>)[k];
    if (typeof v === 'string' && v.length <= MAX_VALUE_LENGTH) out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * SHA-256 (hex) of the canonical JSON of the entry without its `hash` and `mac` (the mac is computed
 * over the hash, so it cannot be inside it; entries of old logs have no mac and hash the same).
 */
export function hashEntry(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  const { hash: _hash, mac: _mac, ...rest } = entry as AuditEntry;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/**
 * Completes an entry with its hash (and, given an audit key, its mac) and serialises it as one line
 * (with the newline).
 */
export function sealEntry(
  body: Omit<AuditEntry, 'hash'>,
  mac?: (hash: string) => string,
): { entry: AuditEntry; line: string } {
  const hash = hashEntry(body);
  const entry = (mac ? { ...body, hash, mac: mac(hash) } : { ...body, hash }) as AuditEntry;
  return { entry, line: `${JSON.stringify(entry)}\n` };
}

/**
 * The receipt chain head as the log knows it after this entry: an operation's receiptHash, or the
 * receiptHead a checkpoint records. Undefined when the entry says nothing about it (repairs).
 */
export function receiptView(entry: Partial<AuditEntry>): string | undefined {
  if (typeof entry.receiptHash === 'string') return entry.receiptHash;
  if (entry.type === 'checkpoint' && typeof entry.receiptHead === 'string') return entry.receiptHead;
  return undefined;
}
