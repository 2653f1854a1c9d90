import { createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BridgeError } from '../../../protocols/errors.ts';
import { writeFileAtomic } from '../../receipts/atomic-file.ts';
import { lockedUntil, recentFailures } from './lockout-window.ts';

export const LOCKOUT_FILE = 'verify-lockout.json';
export const LOCKOUT_KEY_FILE = 'verify-lockout.key';

export interface VerifyLockoutOptions {
  dataDir: string;
  /** failed calls within the window that lock a card out (verify.lockoutFailures) */
  failures: number;
  /** the sliding window (verify.lockoutSeconds) */
  windowSeconds: number;
  now?: () => number;
  /** a failed save (disk full, read-only): the count stays in memory and the daemon goes on */
  onSaveError?: (e: unknown) => void;
}

interface LockoutState {
  v: 1;
  /** failure times (ms) per card, keyed by HMAC-SHA-256(device lockout key, chip serial) */
  cards: Record<string, number[]>;
}

/**
 * Per-card lockout of finger.verify (issue 10 item 3, docs/security.md "Verify lockout"): after
 * `failures` failed calls for one card within `windowSeconds`, calls for it answer TOO_MANY_ATTEMPTS
 * until the window passes. The counts live in dataDir, written atomically (mode 0600), so a restart
 * does not reset them; cards are named by a keyed hash of the chip serial, never the serial itself,
 * with a random key kept beside it (0600).
 */
export class VerifyLockout {
  private readonly key: Buffer;
  private readonly file: string;
  private state: LockoutState;
  private saving: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(private readonly o: VerifyLockoutOptions) {
    this.now = o.now ?? Date.now;
    this.windowMs = o.windowSeconds * 1000;
    this.file = join(o.dataDir, LOCKOUT_FILE);
    this.key = loadOrCreateKey(join(o.dataDir, LOCKOUT_KEY_FILE));
    removeTornTemps(o.dataDir);
    this.state = loadState(this.file);
  }

  /** Throws TOO_MANY_ATTEMPTS (detail.retryAfterSeconds) while the card is locked out. */
  check(chipSerial: string): void {
    const now = this.now();
    const times = this.times(chipSerial);
    if (times.some((t) => t > now)) {
      // the clock went back: those failures are taken as happening now, and saved so, so that the
      // lockout ends one window from here instead of when the clock catches up
      this.state.cards[this.id(chipSerial)] = recentFailures(times, now, this.windowMs);
      void this.save();
    }
    const until = lockedUntil(this.times(chipSerial), now, this.o.failures, this.windowMs);
    if (until === undefined) return;
    throw new BridgeError('TOO_MANY_ATTEMPTS', undefined, {
      retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
      lockoutFailures: this.o.failures,
      lockoutSeconds: this.o.windowSeconds,
    });
  }

  /** A call for this card ended without a match (after comparing at least one live finger). */
  recordFailure(chipSerial: string): Promise<void> {
    const now = this.now();
    const id = this.id(chipSerial);
    this.state.cards[id] = [...recentFailures(this.state.cards[id] ?? [], now, this.windowMs), now];
    return this.save();
  }

  /** The holder matched: earlier failures of this card no longer count. */
  recordSuccess(chipSerial: string): Promise<void> {
    const id = this.id(chipSerial);
    if (!(id in this.state.cards)) return Promise.resolve();
    delete this.state.cards[id];
    return this.save();
  }

  /** Forgets every card's failures (the simulator's demo control; never on a real device's API). */
  clearAll(): Promise<void> {
    this.state.cards = {};
    return this.save();
  }

  /** failures of this card within the window now (tests, diagnostics) */
  count(chipSerial: string): number {
    return recentFailures(this.times(chipSerial), this.now(), this.windowMs).length;
  }

  /** resolves once every save started so far has finished */
  flushed(): Promise<void> {
    return this.saving;
  }

  private times(chipSerial: string): number[] {
    return this.state.cards[this.id(chipSerial)] ?? [];
  }

  private id(chipSerial: string): string {
    return createHmac('sha256', this.key).update(chipSerial, 'utf8').digest('base64url');
  }

  /** Saves are chained, each writing the whole (pruned) state, so the last one on disk is the newest. */
  private save(): Promise<void> {
    const now = this.now();
    for (const [id, times] of Object.entries(this.state.cards)) {
      const recent = recentFailures(times, now, this.windowMs);
      if (recent.length) this.state.cards[id] = recent;
      else delete this.state.cards[id];
    }
    const content = `${JSON.stringify(this.state)}\n`;
    this.saving = this.saving.then(() =>
      writeAtomic(this.file, content).catch((e) => this.o.onSaveError?.(e)),
    );
    return this.saving;
  }
}

function loadOrCreateKey(path: string): Buffer {
  try {
    const hex = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  writeFileAtomic(path, `${key.toString('hex')}\n`);
  return key;
}

/** Temporary files a crash left between write and rename (the state they held is superseded). */
function removeTornTemps(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (/^verify-lockout\.(json|key)\.\d+\.tmp$/.test(name)) rmSync(join(dataDir, name), { force: true });
  }
}

function loadState(path: string): LockoutState {
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as LockoutState;
    if (doc?.v === 1 && doc.cards && typeof doc.cards === 'object') {
      const cards: Record<string, number[]> = {};
      for (const [id, times] of Object.entries(doc.cards)) {
        if (Array.isArray(times)) cards[id] = times.filter((t) => Number.isFinite(t));
      }
      return { v: 1, cards };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { v: 1, cards: {} };
  }
  // A torn or foreign file: start empty rather than refuse to verify anyone (the write is atomic,
  // so this means someone edited it).
  return { v: 1, cards: {} };
}

/** writeFileAtomic without blocking the event loop: temp file, fsync, rename, fsync the folder. */
async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
