import { createHash } from 'node:crypto';
import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BridgeError } from '../../protocols/errors.ts';
import { fsyncDir } from '../receipts/atomic-file.ts';
import {
  AUDIT_GENESIS,
  type AuditEntry,
  type AuditRecord,
  pickAuditFields,
  sealEntry,
} from './audit-entry.ts';
import { readLogTail } from './log-tail.ts';

export const AUDIT_LOG_FILE = 'audit.log';

export interface AuditLog {
  /** Appends one entry; resolves once it is on disk (fdatasync), so the response may go out. */
  append(record: AuditRecord): Promise<void>;
  /** waits for pending appends, then closes the file */
  close(): Promise<void>;
  /** hash of the last entry written (what a new line's prevHash will be) */
  head(): string;
}

export interface OpenAuditLogOptions {
  /** clock in milliseconds (Date.now by default) */
  now?: () => number;
}

interface Pending {
  fields: Record<string, unknown>;
  type: AuditEntry['type'];
  resolve(): void;
  reject(e: unknown): void;
}

/** openAuditLog(join(dataDir, AUDIT_LOG_FILE)) */
export function auditLogPath(dataDir: string): string {
  return join(dataDir, AUDIT_LOG_FILE);
}

/**
 * Opens (or creates, mode 0600) the append-only, hash-chained audit log and continues its chain
 * from the last line. A last line without its newline is what a crash in the middle of a write
 * leaves: it was never acknowledged, so it is cut off and a `repair` entry records how many bytes
 * went and their SHA-256. A complete last line that is not a chained entry is damage, not a crash:
 * the log refuses to open (INTERNAL) rather than write after it; `ektp-bridge audit verify` says where.
 *
 * One writer: appends queue up and each round writes everything queued with one write and one
 * fdatasync (group commit), in the order append was called.
 */
export async function openAuditLog(path: string, opts: OpenAuditLogOptions = {}): Promise<AuditLog> {
  const now = opts.now ?? Date.now;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const fh = await open(path, 'a+', 0o600);
  let created = false;
  try {
    await chmod(path, 0o600);
    const tail = await readLogTail(fh);
    created = tail.goodSize === 0 && tail.tornBytes.length === 0;
    let head = AUDIT_GENESIS;
    let seq = 0;
    if (tail.lastLine !== undefined) ({ head, seq } = chainPoint(tail.lastLine, path));

    const queue: Pending[] = [];
    let writing = false;
    let failed: BridgeError | undefined;
    let closed = false;
    let idle: Promise<void> = Promise.resolve();
    let settleIdle: (() => void) | undefined;

    async function writeBatch(batch: Pending[]): Promise<void> {
      let nextHead = head;
      let nextSeq = seq;
      const lines: string[] = [];
      for (const p of batch) {
        const { entry, line } = sealEntry({
          seq: ++nextSeq,
          ts: new Date(now()).toISOString(),
          type: p.type,
          ...p.fields,
          prevHash: nextHead,
        });
        nextHead = entry.hash;
        lines.push(line);
      }
      await fh.write(lines.join(''));
      await fh.datasync();
      head = nextHead;
      seq = nextSeq;
    }

    async function drain(): Promise<void> {
      writing = true;
      try {
        while (queue.length > 0) {
          const batch = queue.splice(0, queue.length);
          if (failed) {
            for (const p of batch) p.reject(failed);
            continue;
          }
          try {
            await writeBatch(batch);
            for (const p of batch) p.resolve();
          } catch (e) {
            // After a failed write the file may end in a partial line: no more appends until a
            // restart repairs it (and the operations waiting here fail rather than go unrecorded).
            failed = new BridgeError('INTERNAL', 'audit log write failed', undefined, { cause: e });
            for (const p of batch) p.reject(failed);
          }
        }
      } finally {
        writing = false;
        settleIdle?.();
      }
    }

    function enqueue(type: AuditEntry['type'], fields: Record<string, unknown>): Promise<void> {
      if (closed) return Promise.reject(new BridgeError('INTERNAL', 'audit log is closed'));
      if (failed) return Promise.reject(failed);
      const done = new Promise<void>((resolve, reject) => queue.push({ type, fields, resolve, reject }));
      if (!writing) {
        idle = new Promise<void>((r) => {
          settleIdle = r;
        });
        void drain();
      }
      return done;
    }

    if (tail.tornBytes.length > 0) {
      await fh.truncate(tail.goodSize);
      await fh.datasync();
      await enqueue('repair', {
        reason: 'torn last line cut off (a crash during a write)',
        truncatedBytes: tail.tornBytes.length,
        truncatedSha256: createHash('sha256').update(tail.tornBytes).digest('hex'),
      });
    }
    if (created) fsyncDir(dirname(path));

    return {
      append: (record) => enqueue(record.op, pickAuditFields(record)),
      head: () => head,
      async close() {
        closed = true;
        await idle;
        await fh.close();
      },
    };
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}

function chainPoint(line: string, path: string): { head: string; seq: number } {
  let entry: Partial<AuditEntry>;
  try {
    entry = JSON.parse(line);
  } catch {
    throw new BridgeError('INTERNAL', `${path}: the last line is not JSON; run "ektp-bridge audit verify"`);
  }
  if (typeof entry?.hash !== 'string' || typeof entry.seq !== 'number') {
    throw new BridgeError(
      'INTERNAL',
      `${path}: the last line is not an audit entry; run "ektp-bridge audit verify"`,
    );
  }
  return { head: entry.hash, seq: entry.seq };
}
