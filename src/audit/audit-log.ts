import { createHash } from 'node:crypto';
import { chmod, type FileHandle, mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BridgeError } from '../../protocols/errors.ts';
import { fsyncDir } from '../receipts/atomic-file.ts';
import {
  AUDIT_GENESIS,
  type AuditEntry,
  type AuditRecord,
  pickAuditFields,
  receiptView,
  sealEntry,
} from './audit-entry.ts';
import { nextRotatedPath, rotatedFiles } from './audit-files.ts';
import { type AuditKey, entryMac, signCheckpoint } from './audit-key.ts';
import { readFirstLine, readLogTail } from './log-tail.ts';
import { storageWriteError } from './write-error.ts';

export const AUDIT_LOG_FILE = 'audit.log';
/** a signed checkpoint at least every this many entries (and at start, stop and each rotation) */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

export interface AuditLog {
  /** Appends one entry; resolves once it is on disk (fdatasync), so the response may go out. */
  append(record: AuditRecord): Promise<void>;
  /** waits for pending appends, writes the closing checkpoint, then closes the file */
  close(): Promise<void>;
  /** hash of the last entry written (what a new line's prevHash will be) */
  head(): string;
}

export interface OpenAuditLogOptions {
  /** clock in milliseconds (Date.now by default) */
  now?: () => number;
  /**
   * The device's audit key: every entry gets a mac, checkpoints are signed. Without it (tests, tools)
   * the log is only hash-chained, as logs written before checkpoints existed.
   */
  key?: AuditKey;
  /** the receipt chain head (the signer's), recorded by the start and stop checkpoints */
  receiptHead?: () => string;
  /** how many receipts the chain holds (the signer's count), recorded with receiptHead */
  receiptCount?: () => number;
  /** rotate the current file once it holds maxBytes, or its first entry is maxAgeMs old (0: never) */
  rotate?: { maxBytes?: number; maxAgeMs?: number };
  checkpointEvery?: number;
  /** opens a file for appending (the fault tests put a failing file system behind this) */
  openFile?: (path: string) => Promise<FileHandle>;
}

interface Body {
  type: AuditEntry['type'];
  fields: Record<string, unknown>;
}

interface Pending extends Body {
  resolve(): void;
  reject(e: unknown): void;
}

interface CurrentFile {
  fh: FileHandle;
  /** bytes of complete, acknowledged lines: what a failed write is cut back to */
  size: number;
  /** time of the file's first entry (its age decides rotation) */
  startedAt?: number;
}

/** openAuditLog(join(dataDir, AUDIT_LOG_FILE)) */
export function auditLogPath(dataDir: string): string {
  return join(dataDir, AUDIT_LOG_FILE);
}

/**
 * Opens (or creates, mode 0600) the append-only, hash-chained audit log and continues its chain from
 * the last line (of the newest rotated file when the current one is empty). A last line without its
 * newline is what a crash in the middle of a write leaves: it was never acknowledged, so it is cut
 * off and a `repair` entry records how many bytes went and their SHA-256. A complete last line that
 * is not a chained entry is damage, not a crash: the log refuses to open (INTERNAL) rather than
 * write after it; `ektp-bridge audit verify` says where.
 *
 * One writer: appends queue up and each round writes everything queued with one write and one
 * fdatasync (group commit), in the order append was called. A write that fails (disk full,
 * read-only file system, I/O error) rejects every append of its round with INTERNAL
 * (detail AUDIT_WRITE_FAILED) so no result leaves unrecorded; the file is cut back to its last
 * acknowledged line and the next append tries again, so the log recovers by itself once the disk does.
 */
export async function openAuditLog(path: string, opts: OpenAuditLogOptions = {}): Promise<AuditLog> {
  const now = opts.now ?? Date.now;
  const key = opts.key;
  const maxBytes = opts.rotate?.maxBytes ?? 0;
  const maxAgeMs = opts.rotate?.maxAgeMs ?? 0;
  const checkpointEvery = Math.max(1, opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
  const openFile = opts.openFile ?? ((p: string) => open(p, 'a+', 0o600));
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });

  let head = AUDIT_GENESIS;
  let seq = 0;
  /** the receipt chain head as far as the log has recorded it */
  let view: string | undefined;
  let sinceCheckpoint = 0;
  let file: CurrentFile | undefined;
  /** repair notes waiting to be written ahead of the next entries */
  const notes: Body[] = [];

  async function openCurrent(): Promise<CurrentFile> {
    const fh = await openFile(path);
    try {
      await chmod(path, 0o600);
      const tail = await readLogTail(fh);
      if (tail.tornBytes.length > 0) {
        await fh.truncate(tail.goodSize);
        await fh.datasync();
        notes.push({
          type: 'repair',
          fields: {
            reason: 'torn last line cut off (a crash during a write)',
            truncatedBytes: tail.tornBytes.length,
            truncatedSha256: createHash('sha256').update(tail.tornBytes).digest('hex'),
          },
        });
      }
      let startedAt: number | undefined;
      if (tail.lastLine !== undefined) {
        ({ head, seq, view } = chainPoint(tail.lastLine, path));
        startedAt = entryTime(await readFirstLine(fh));
      } else {
        // empty: a new log, or a crash right after a rotation renamed the full file away
        const previous = rotatedFiles(path).at(-1);
        if (previous) ({ head, seq, view } = await chainPointOfFile(previous));
        fsyncDir(dirname(path)); // the new file's name must survive a crash too
      }
      return { fh, size: tail.goodSize, startedAt };
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw e;
    }
  }

  async function writeEntries(bodies: Body[]): Promise<void> {
    file ??= await openCurrent();
    const f = file;
    let h = head;
    let s = seq;
    let v = view;
    let since = sinceCheckpoint;
    const lines: string[] = [];
    for (const b of bodies) {
      const body: Record<string, unknown> = {
        seq: ++s,
        ts: new Date(now()).toISOString(),
        type: b.type,
        ...b.fields,
        prevHash: h,
      };
      if (b.type === 'checkpoint') {
        if (body.receiptHead === undefined && v !== undefined) body.receiptHead = v;
        if (key) body.sig = signCheckpoint(key.privateKey, body);
      }
      const { entry, line } = sealEntry(
        body as Omit<AuditEntry, 'hash'>,
        key ? (x) => entryMac(key.macKey, x) : undefined,
      );
      h = entry.hash;
      v = receiptView(entry) ?? v;
      since = b.type === 'checkpoint' ? 0 : since + 1;
      lines.push(line);
    }
    const bytes = Buffer.from(lines.join(''), 'utf8');
    try {
      await writeAll(f.fh, bytes);
      await f.fh.datasync();
    } catch (e) {
      file = undefined;
      // Cut back to the last acknowledged line (lines of this round may be partly on disk); if even
      // that fails, the next open's torn-line repair does it.
      await f.fh.truncate(f.size).catch(() => undefined);
      await f.fh.close().catch(() => undefined);
      throw e;
    }
    head = h;
    seq = s;
    view = v;
    sinceCheckpoint = since;
    f.size += bytes.length;
    f.startedAt ??= now();
  }

  function rotationDue(f: CurrentFile): boolean {
    if (f.size === 0) return false;
    if (maxBytes > 0 && f.size >= maxBytes) return true;
    if (maxAgeMs > 0 && f.startedAt !== undefined) {
      const t = now();
      // The clock went back: age counts from now, rather than waiting for the old time to come round.
      // (Forward, it rotates early, once: the chain does not depend on the clock.)
      if (t < f.startedAt) f.startedAt = t;
      return t - f.startedAt >= maxAgeMs;
    }
    return false;
  }

  /** Closes the current file with a signed checkpoint, renames it to audit.log.<n>, starts a new one. */
  async function rotate(): Promise<void> {
    if (key) await writeEntries([{ type: 'checkpoint', fields: { reason: 'rotate', kid: key.deviceId } }]);
    const f = file!;
    file = undefined;
    await f.fh.close();
    await rename(path, nextRotatedPath(path));
    fsyncDir(dirname(path));
    file = await openCurrent();
  }

  const queue: Pending[] = [];
  let writing = false;
  let closed = false;
  let idle: Promise<void> = Promise.resolve();
  let settleIdle: (() => void) | undefined;

  async function writeRound(batch: Pending[]): Promise<void> {
    file ??= await openCurrent();
    if (rotationDue(file)) await rotate();
    const pendingNotes = notes.splice(0, notes.length);
    const bodies: Body[] = [...pendingNotes, ...batch];
    if (key && sinceCheckpoint + bodies.length >= checkpointEvery) {
      bodies.push({ type: 'checkpoint', fields: { reason: 'interval', kid: key.deviceId } });
    }
    try {
      await writeEntries(bodies);
    } catch (e) {
      notes.unshift(...pendingNotes);
      throw e;
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, queue.length);
        try {
          await writeRound(batch);
          for (const p of batch) p.resolve();
        } catch (e) {
          const err = storageWriteError('audit log', 'AUDIT_WRITE_FAILED', e);
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      writing = false;
      settleIdle?.();
    }
  }

  function enqueue(type: AuditEntry['type'], fields: Record<string, unknown>): Promise<void> {
    if (closed) return Promise.reject(new BridgeError('INTERNAL', 'audit log is closed'));
    const done = new Promise<void>((resolve, reject) => queue.push({ type, fields, resolve, reject }));
    if (!writing) {
      idle = new Promise<void>((r) => {
        settleIdle = r;
      });
      void drain();
    }
    return done;
  }

  try {
    file = await openCurrent();
  } catch (e) {
    // A damaged last line stops here: the log refuses to write after it. A file system that
    // refuses the file (read-only, full) is retried by the first round, as after a failed write.
    if (e instanceof BridgeError || typeof (e as NodeJS.ErrnoException)?.code !== 'string') throw e;
  }
  // Records where the receipt chain stands at start: a head or count the log has not seen means
  // receipts were signed and never recorded (a crash between the two), which verify reports.
  const opening: Body | undefined = key
    ? {
        type: 'checkpoint',
        fields: {
          reason: 'start',
          kid: key.deviceId,
          receiptHead: opts.receiptHead?.(),
          receiptCount: opts.receiptCount?.(),
        },
      }
    : notes.shift();
  if (opening) {
    try {
      await enqueue(opening.type, opening.fields);
    } catch {
      // A full or read-only disk at start: the daemon still starts (and answers what needs no
      // record); this line goes first in the next round, and every operation fails until then.
      notes.push(opening);
    }
  }

  return {
    append: (record) => enqueue(record.op, pickAuditFields(record)),
    head: () => head,
    async close() {
      if (closed) return;
      if (key) {
        await enqueue('checkpoint', {
          reason: 'stop',
          kid: key.deviceId,
          receiptHead: opts.receiptHead?.(),
          receiptCount: opts.receiptCount?.(),
        }).catch(() => undefined); // a full disk must not keep the daemon from stopping
      }
      closed = true;
      await idle;
      await file?.fh.close();
      file = undefined;
    },
  };
}

/**
 * write(2) may write less than asked without an error (a file system filling up does): what is left
 * is written again, and that second write is the one that reports ENOSPC.
 */
async function writeAll(fh: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.length - offset);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error('audit log: write made no progress'), { code: 'EIO' });
    }
    offset += bytesWritten;
  }
}

function chainPoint(line: string, path: string): { head: string; seq: number; view: string | undefined } {
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
  return { head: entry.hash, seq: entry.seq, view: receiptView(entry) };
}

async function chainPointOfFile(
  path: string,
): Promise<{ head: string; seq: number; view: string | undefined }> {
  const fh = await open(path, 'r');
  try {
    const tail = await readLogTail(fh);
    if (tail.lastLine === undefined || tail.tornBytes.length > 0) {
      throw new BridgeError(
        'INTERNAL',
        `${path}: a rotated audit file does not end in a complete entry; run "ektp-bridge audit verify"`,
      );
    }
    return chainPoint(tail.lastLine, path);
  } finally {
    await fh.close();
  }
}

function entryTime(line: string | undefined): number | undefined {
  if (line === undefined) return undefined;
  try {
    const t = Date.parse(JSON.parse(line).ts);
    return Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
