import { createReadStream, existsSync } from 'node:fs';
import { AUDIT_GENESIS, type AuditEntry, hashEntry } from './audit-entry.ts';

export interface AuditVerifyResult {
  /** every complete line is an entry whose hash and links check out */
  ok: boolean;
  /** entries that check out (all of them when ok) */
  entries: number;
  /** 1-based line number of the first line that does not */
  brokenAt?: number;
  reason?: string;
  /** `repair` entries met (each marks a crash the log recovered from) */
  repairs: number;
  /** bytes after the last newline: a write cut by a crash, cut off by the next start */
  tornTailBytes: number;
  /** hash of the last good entry (compare with a copy kept elsewhere to detect removed newest lines) */
  head: string;
}

/**
 * Reads the log line by line and checks each entry: valid JSON, `hash` equal to the hash of the rest,
 * `prevHash` equal to the line before's hash, `seq` one more than the line before's. An edited line
 * fails its own hash; a removed or reordered line fails the link (and seq) of the line after it.
 * A chain cannot show that its newest lines were removed: keep `head` (or the receipts, whose hashes
 * the entries hold) elsewhere for that.
 */
export async function verifyAuditLog(path: string): Promise<AuditVerifyResult> {
  const result: AuditVerifyResult = {
    ok: true,
    entries: 0,
    repairs: 0,
    tornTailBytes: 0,
    head: AUDIT_GENESIS,
  };
  if (!existsSync(path)) return result;
  let prevHash = AUDIT_GENESIS;
  let prevSeq = 0;
  let lineNo = 0;
  let rest = '';
  const fail = (reason: string) => {
    result.ok = false;
    result.brokenAt = lineNo;
    result.reason = reason;
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lineNo++;
      const reason = checkLine(line, prevHash, prevSeq);
      if (typeof reason === 'string') {
        fail(reason);
        return result;
      }
      prevHash = reason.hash;
      prevSeq = reason.seq;
      result.head = reason.hash;
      result.entries++;
      if (reason.type === 'repair') result.repairs++;
    }
  }
  result.tornTailBytes = Buffer.byteLength(rest, 'utf8');
  return result;
}

function checkLine(line: string, prevHash: string, prevSeq: number): AuditEntry | string {
  let entry: AuditEntry;
  try {
    entry = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an entry';
  if (typeof entry.hash !== 'string') return 'no hash';
  if (hashEntry(entry) !== entry.hash) return 'hash does not match the entry (edited)';
  if (entry.prevHash !== prevHash)
    return 'prevHash does not match the line before (a line removed, reordered or inserted)';
  if (entry.seq !== prevSeq + 1) return `seq ${String(entry.seq)} after ${prevSeq}`;
  return entry;
}
