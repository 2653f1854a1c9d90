import {
  closeSync,
  type Dirent,
  fdatasyncSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../receipts/atomic-file.ts';

/**
 * The ticket nonces on disk, so that a restart opens no replay window (docs/security.md "Tickets
 * across restarts"). An append-only file in dataDir, mode 0600, one line per event:
 *
 *     + <expiresAt> <lifetime> <key>     a nonce reserved (before its operation may start)
 *     - <key>                            released (refused before starting: usable again)
 *
 * `key` is the SHA-256 of the nonce (base64url), so lines have a fixed size whatever a backend puts
 * in its nonces. A `+` line is on disk (fdatasync) before the operation may start; a `-` line is
 * written without waiting, since losing one only keeps a ticket refused after a restart (the safe
 * side). After a crash, a reserved nonce counts as spent: nobody knows whether its operation
 * started. A torn last line (a crash mid-write) is ignored: its write never returned, so its
 * operation never started.
 */
export const NONCE_JOURNAL_FILE = 'ticket-nonces.log';

export interface JournalEntry {
  key: string;
  /** wall seconds after which the ticket fails the expiry check */
  expiresAt: number;
  /** seconds of the ticket's whole lifetime (plus skew), for the monotonic clock */
  lifetime: number;
}

const KEY = /^[A-Za-z0-9_-]{43}$/;

export class NonceJournal {
  private fd: number | undefined;
  private lines = 0;

  constructor(readonly path: string) {}

  /**
   * Reads the live entries (expiresAt after `wallNow`), then rewrites the file with only those.
   * Throws when the file exists but cannot be read: the caller then refuses every ticket that
   * could have been used before this start.
   */
  load(wallNow: number): JournalEntry[] {
    removeStaleTemps(this.path);
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      text = '';
    }
    const live = new Map<string, JournalEntry>();
    for (const line of text.split('\n')) {
      const f = line.split(' ');
      if (f[0] === '+' && f.length === 4 && KEY.test(f[3])) {
        const expiresAt = Number(f[1]);
        const lifetime = Number(f[2]);
        if (Number.isFinite(expiresAt) && Number.isFinite(lifetime))
          live.set(f[3], { key: f[3], expiresAt, lifetime });
      } else if (f[0] === '-' && f.length === 2) {
        live.delete(f[1]);
      }
    }
    const kept = [...live.values()].filter((e) => e.expiresAt > wallNow);
    this.rewrite(kept);
    return kept;
  }

  /** Records a reservation durably; throws when it cannot (disk full, read-only). */
  reserved(e: JournalEntry): void {
    const fd = this.open();
    writeSync(fd, `+ ${e.expiresAt} ${e.lifetime} ${e.key}\n`);
    fdatasyncSync(fd);
    this.lines++;
  }

  /** Records a release; best effort (a lost line only keeps that ticket refused after a restart). */
  released(key: string): void {
    try {
      writeSync(this.open(), `- ${key}\n`);
      this.lines++;
    } catch {
      // the reservation line stays: after a restart that ticket is refused, which is safe
    }
  }

  /** Lines written since the file was last rewritten (the caller compacts when it grows). */
  get length(): number {
    return this.lines;
  }

  /** Replaces the file with exactly these entries (atomic: old or new content after a crash). */
  rewrite(entries: JournalEntry[]): void {
    this.close();
    writeFileAtomic(this.path, entries.map((e) => `+ ${e.expiresAt} ${e.lifetime} ${e.key}\n`).join(''));
    this.lines = entries.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    if (this.fd === undefined) this.fd = openSync(this.path, 'a', 0o600);
    return this.fd;
  }
}

/** `<file>.<pid>.tmp` left by a kill -9 during a rewrite. */
function removeStaleTemps(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: Dirent[];
  try {
    names = readdirSync(dirname(path), { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    if (d.isFile() && d.name.startsWith(prefix) && d.name.endsWith('.tmp')) {
      try {
        unlinkSync(join(dirname(path), d.name));
      } catch {
        // not ours to remove, or already gone
      }
    }
  }
}
