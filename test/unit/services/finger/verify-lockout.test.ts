import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../../protocols/errors.ts';
import { lockedUntil, recentFailures } from '../../../../src/services/finger/lockout-window.ts';
import {
  LOCKOUT_FILE,
  LOCKOUT_KEY_FILE,
  VerifyLockout,
} from '../../../../src/services/finger/verify-lockout.ts';

const SERIAL = '04A1B2C3D4E5F6';
const MIN = 60_000;

function refusal(f: () => void): { code: string; retryAfterSeconds?: number } | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!isBridgeError(e)) throw e;
    return { code: e.code, retryAfterSeconds: e.detail?.retryAfterSeconds as number };
  }
}

describe('lockout window arithmetic', () => {
  it('counts failures inside the window, and takes a failure "in the future" as now', () => {
    expect(recentFailures([0, 5, 10], 12, 10)).toEqual([5, 10]);
    expect(recentFailures([100], 12, 10)).toEqual([12]);
    expect(lockedUntil([1, 2, 3], 5, 3, 10)).toBe(11);
    expect(lockedUntil([1, 2, 3], 11, 3, 10)).toBeUndefined();
    expect(lockedUntil([1, 2], 5, 3, 10)).toBeUndefined();
  });
});

describe('VerifyLockout (per card, persisted in dataDir)', () => {
  let dataDir: string;
  let clock: number;
  let opened: VerifyLockout[] = [];
  const open = (failures = 3, windowSeconds = 600) => {
    const lock = new VerifyLockout({ dataDir, failures, windowSeconds, now: () => clock });
    opened.push(lock);
    return lock;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ektp-lockout-'));
    clock = Date.UTC(2026, 11, 4, 12);
  });
  afterEach(async () => {
    // a check after a clock jump saves in the background: let it land before the folder goes
    await Promise.all(opened.map((l) => l.flushed()));
    opened = [];
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a card with TOO_MANY_ATTEMPTS after `failures` failed calls, until the window passes', async () => {
    const lock = open();
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => lock.check(SERIAL))).toBeUndefined();
      await lock.recordFailure(SERIAL);
      clock += MIN;
    }
    // failures at 0, 1, 2 min; now 3 min: locked until 0 + 10 min
    expect(refusal(() => lock.check(SERIAL))).toEqual({ code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 420 });
    expect(refusal(() => lock.check('another card'))).toBeUndefined();
    clock += 7 * MIN;
    expect(refusal(() => lock.check(SERIAL))).toBeUndefined();
    expect(lock.count(SERIAL)).toBe(2);
  });

  it("forgets a card's failures when its holder matches", async () => {
    const lock = open();
    await lock.recordFailure(SERIAL);
    await lock.recordFailure(SERIAL);
    await lock.recordSuccess(SERIAL);
    expect(lock.count(SERIAL)).toBe(0);
  });

  it('survives a restart, keeps no chip serial in clear, and keeps its files 0600', async () => {
    const lock = open();
    for (let i = 0; i < 3; i++) await lock.recordFailure(SERIAL);
    const again = open();
    expect(refusal(() => again.check(SERIAL))?.code).toBe('TOO_MANY_ATTEMPTS');
    const saved = readFileSync(join(dataDir, LOCKOUT_FILE), 'utf8');
    expect(saved).not.toContain(SERIAL);
    expect(saved).not.toContain(Buffer.from(SERIAL).toString('base64'));
    expect(statSync(join(dataDir, LOCKOUT_FILE)).mode & 0o077).toBe(0);
    expect(statSync(join(dataDir, LOCKOUT_KEY_FILE)).mode & 0o077).toBe(0);
  });

  it('removes temporary files a crash left behind, and keeps the saved count', async () => {
    await open().recordFailure(SERIAL);
    writeFileSync(join(dataDir, `${LOCKOUT_FILE}.99999.tmp`), '{"v":1,"car');
    writeFileSync(join(dataDir, 'other.tmp'), 'not ours');
    expect(open().count(SERIAL)).toBe(1);
    expect(readdirSync(dataDir).sort()).toEqual([LOCKOUT_FILE, LOCKOUT_KEY_FILE, 'other.tmp'].sort());
  });

  it('the wall clock jumping back keeps the lockout, but for no longer than the window from the jump', async () => {
    const lock = open();
    for (let i = 0; i < 3; i++) await lock.recordFailure(SERIAL);
    clock -= 24 * 60 * MIN; // a day back: the failures now lie "in the future"
    expect(refusal(() => lock.check(SERIAL))).toEqual({ code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 600 });
    clock += 10 * MIN;
    expect(refusal(() => lock.check(SERIAL))).toBeUndefined();
  });

  it('the wall clock jumping forward past the window ends the lockout; within it, it holds', async () => {
    const lock = open();
    for (let i = 0; i < 3; i++) await lock.recordFailure(SERIAL);
    clock += 5 * MIN;
    expect(refusal(() => lock.check(SERIAL))?.code).toBe('TOO_MANY_ATTEMPTS');
    clock += 24 * 60 * MIN;
    expect(refusal(() => lock.check(SERIAL))).toBeUndefined();
    expect(lock.count(SERIAL)).toBe(0);
  });

  it('a save that fails (read-only or full disk) is reported and the count is kept in memory', async () => {
    const errors: unknown[] = [];
    // the state file's place is taken by a folder: every save fails as on a read-only disk
    mkdirSync(join(dataDir, LOCKOUT_FILE, 'x'), { recursive: true });
    const lock = new VerifyLockout({
      dataDir,
      failures: 1,
      windowSeconds: 60,
      now: () => clock,
      onSaveError: (e) => errors.push(e),
    });
    await lock.recordFailure(SERIAL);
    expect(errors).toHaveLength(1);
    expect(refusal(() => lock.check(SERIAL))?.code).toBe('TOO_MANY_ATTEMPTS');
  });
});
