import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError, isBridgeError } from '../../../../protocols/errors.ts';
import type { ImpostorTailsFile } from '../../../../src/biometrics/verify-policy/index.ts';
import type { ReaderDirectory } from '../../../../src/devices/reader-directory.ts';
import type { CardService } from '../../../../src/services/card/card-service.ts';
import type { CardTemplates } from '../../../../src/services/card/card-templates.ts';
import { VerifyLockout } from '../../../../src/services/finger/verify-lockout.ts';
import { type CaptureTemplate, VerifyService } from '../../../../src/services/finger/verify-service.ts';

/** A card finger at ISO position `pos` with `n` minutiae. */
const template = (pos: number, n = 20): MinutiaeSet => ({
  width: 300,
  height: 400,
  dpiX: 500,
  dpiY: 500,
  quality: 80,
  fingerPosition: pos,
  minutiae: Array.from({ length: n }, (_, i) => ({
    x: 10 + i * 5,
    y: 20 + i * 7,
    angle: i / 5,
    type: 'ending' as const,
    quality: 60,
  })),
});

/**
 * Stage thresholds with 1,000 sequences: at targetFmr 0.012, 3 attempts, 2 fingers: under 'sum'
 * T = 0.5, 0.8, 1.1 (+1e-4); under 'best' (the default) 0.5001 at every stage.
 */
const tails: ImpostorTailsFile = {
  about: 'test',
  measured: '2026-01-01',
  modes: {
    m: {
      sequences: 1000,
      sums: [
        [0.6, 0.55, 0.5],
        [0.9, 0.85, 0.8],
        [1.2, 1.15, 1.1],
      ],
    },
  },
};

interface Live {
  quality: number;
  minutiae: number;
  /** the first live view's scores against the card's two fingers */
  scores: [number, number];
  /** the second live view's (default: none above 0) */
  second?: [number, number];
  /** the second view's extraction is cancelled (the caller gave up meanwhile) */
  cancelSecond?: boolean;
}

describe('VerifyService: the policy, the reasons and the lockout', () => {
  let dataDir: string;
  let lockout: VerifyLockout;
  let lives: Live[];
  let progress: { step: string; detail?: Record<string, unknown> }[];
  let audited: { chipSerial: string; error: string; origin?: string }[];
  /** how many attempts asked for their other live views */
  let otherViewsExtracted = 0;
  const cards = Object.assign(new EventEmitter(), { isBusy: () => false, read: async () => ({}) });

  const service = (failures = 2, combine?: 'best' | 'sum') => {
    lockout = new VerifyLockout({ dataDir, failures, windowSeconds: 3600 });
    let current: Live | undefined;
    let captured: MinutiaeSet | undefined;
    otherViewsExtracted = 0;
    const captureTemplate: CaptureTemplate = async ({ signal }) => {
      if (signal.aborted) throw new BridgeError('CANCELLED');
      current = lives.shift();
      if (!current) throw new BridgeError('CAPTURE_TIMEOUT');
      captured = template(0, current.minutiae);
      const second = template(0, current.minutiae);
      const cancelSecond = current.cancelSecond;
      const otherViews = async () => {
        otherViewsExtracted++;
        if (cancelSecond) throw new BridgeError('CANCELLED');
        return [second];
      };
      return { set: captured, otherViews, quality: current.quality, sensorId: 'sim-0' };
    };
    return new VerifyService({
      directory: {
        settled: async () => {},
        rfReaders: () => [{ name: 'rf', cardPresent: true }],
      } as unknown as ReaderDirectory,
      cards: cards as unknown as CardService,
      templates: {
        get: () => ({
          reader: 'rf',
          chipSerial: 'CHIP-1',
          documentSignature: 'valid',
          records: [encodeIso19794_2(template(2)), encodeIso19794_2(template(7))],
          at: 0,
        }),
      } as unknown as CardTemplates,
      captureTemplate,
      // the capture's own template is views[0]; the other probe is the second view
      compareMany: async (probe) =>
        Float64Array.from(probe === captured ? (current?.scores ?? []) : (current?.second ?? [0, 0])),
      policy: { targetFmr: 0.012, defaultMaxAttempts: 3, minQuality: 30, minMinutiae: 12, combine, tails },
      lockout,
      auditFailure: async (card, error, c) => {
        audited.push({ chipSerial: card.chipSerial, error, origin: c.origin });
      },
    });
  };
  const ctx = (signal = new AbortController().signal) => ({
    signal,
    origin: 'http://127.0.0.1',
    progress: (step: string, _p: number, detail?: Record<string, unknown>) => progress.push({ step, detail }),
  });
  const failure = async (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e as BridgeError,
    );

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ektp-verify-service-'));
    progress = [];
    audited = [];
  });
  afterEach(async () => {
    await lockout.flushed();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("'sum': matches when a card finger's score sum reaches the stage threshold, reporting per-attempt means", async () => {
    lives = [
      { quality: 80, minutiae: 30, scores: [0.45, 0.1] },
      { quality: 80, minutiae: 30, scores: [0.4, 0.2] },
    ];
    const out = await service(2, 'sum').verify({}, ctx());
    // 0.45 < T1 0.5001; 0.85 >= T2 0.8001
    expect(out).toMatchObject({ matched: true, finger: 2, attempts: 2, reasons: ['NOT_MATCHED'] });
    expect(out.score).toBeCloseTo(0.425, 4);
    expect(out.threshold).toBeCloseTo(0.4, 3);
    expect(progress.filter((p) => p.step === 'attempt-1:failed').map((p) => p.detail)).toEqual([
      { reason: 'NOT_MATCHED', quality: 80, minutiaeCount: 30 },
    ]);
  });

  it("'best' (default): matches on the first single score at T1, reporting that score and T1", async () => {
    lives = [
      { quality: 80, minutiae: 30, scores: [0.45, 0.1] },
      { quality: 80, minutiae: 30, scores: [0.4, 0.2] },
      { quality: 80, minutiae: 30, scores: [0.3, 0.52] },
    ];
    const out = await service().verify({}, ctx());
    expect(out).toMatchObject({
      matched: true,
      finger: 7,
      attempts: 3,
      reasons: ['NOT_MATCHED', 'NOT_MATCHED'],
    });
    expect(out.score).toBeCloseTo(0.52, 4);
    expect(out.threshold).toBeCloseTo(0.5001, 4);
  });

  it('scores the other live views of an attempt whose first did not match, and keeps the better score', async () => {
    // T1 is 0.5001: neither view reaches it on the first attempt; the second view does on the second
    lives = [
      { quality: 80, minutiae: 30, scores: [0.45, 0.3], second: [0.2, 0.49] },
      { quality: 80, minutiae: 30, scores: [0.1, 0.2], second: [0.51, 0.0] },
    ];
    const out = await service().verify({}, ctx());
    expect(out).toMatchObject({ matched: true, finger: 2, attempts: 2, reasons: ['NOT_MATCHED'] });
    expect(out.score).toBeCloseTo(0.51, 4);
    expect(otherViewsExtracted).toBe(2);
    // an attempt whose own template matches extracts nothing more
    lives = [{ quality: 80, minutiae: 30, scores: [0.6, 0.1], second: [0.9, 0.9] }];
    expect(await service().verify({}, ctx())).toMatchObject({ matched: true, finger: 2, score: 0.6 });
    expect(otherViewsExtracted).toBe(0);
  });

  it('counts a call cancelled while the other views of a compared miss were being scored', async () => {
    const s = service(5);
    lives = [{ quality: 80, minutiae: 30, scores: [0.1, 0.1], cancelSecond: true }];
    expect((await failure(s.verify({}, ctx()))).code).toBe('CANCELLED');
    expect(lockout.count('CHIP-1')).toBe(1);
  });

  it("'best': steady scores under T1 do not add up to a match (they would under 'sum')", async () => {
    const steady = () =>
      [0, 1, 2].map(() => ({ quality: 80, minutiae: 30, scores: [0.45, 0.1] as [number, number] }));
    lives = steady();
    const out = await service(5).verify({}, ctx());
    expect(out).toMatchObject({ matched: false, finger: 2, attempts: 3 });
    expect(out.reasons).toEqual(['NOT_MATCHED', 'NOT_MATCHED', 'NOT_MATCHED']);
    expect(out.score).toBeCloseTo(0.45, 4);
    expect(out.threshold).toBeCloseTo(0.5001, 4);
    lives = steady();
    // 0.9 >= T2 0.8001 under 'sum'
    expect(await service(5, 'sum').verify({}, ctx())).toMatchObject({ matched: true, attempts: 2 });
  });

  it('says why each attempt failed and counts the call against the card', async () => {
    lives = [
      { quality: 10, minutiae: 30, scores: [0.9, 0.9] },
      { quality: 80, minutiae: 5, scores: [0.9, 0.9] },
      { quality: 80, minutiae: 30, scores: [0.3, 0.2] },
    ];
    const s = service();
    const out = await s.verify({}, ctx());
    expect(out.matched).toBe(false);
    expect(out.reasons).toEqual(['POOR_QUALITY', 'TOO_FEW_MINUTIAE', 'NOT_MATCHED']);
    expect(out.score).toBeLessThan(out.threshold);
    expect(progress.filter((p) => p.step.endsWith(':failed')).map((p) => p.detail?.reason)).toEqual(
      out.reasons,
    );
    expect(lockout.count('CHIP-1')).toBe(1);
  });

  it('gives POOR_QUALITY with the reasons when nothing could be compared, and does not count it', async () => {
    lives = [
      { quality: 10, minutiae: 30, scores: [1, 1] },
      { quality: 80, minutiae: 3, scores: [1, 1] },
    ];
    const e = await failure(service().verify({ maxAttempts: 2 }, ctx()));
    expect(e.code).toBe('POOR_QUALITY');
    expect(e.detail).toEqual({ reasons: ['POOR_QUALITY', 'TOO_FEW_MINUTIAE'], attempts: 2 });
    expect(lockout.count('CHIP-1')).toBe(0);
  });

  it('counts a call cancelled after a compared miss, and then refuses the card with TOO_MANY_ATTEMPTS', async () => {
    const s = service(2);
    // call 1: one miss, then the capture gives up (as a cancel or timeout would end it)
    lives = [{ quality: 80, minutiae: 30, scores: [0.1, 0.1] }];
    expect((await failure(s.verify({}, ctx()))).code).toBe('CAPTURE_TIMEOUT');
    expect(lockout.count('CHIP-1')).toBe(1);
    // call 2: cancelled before its first capture: nothing compared, not counted
    const ac = new AbortController();
    ac.abort();
    lives = [];
    expect((await failure(s.verify({}, ctx(ac.signal)))).code).toBe('CANCELLED');
    expect(lockout.count('CHIP-1')).toBe(1);
    // call 3: a full miss
    lives = [0, 1, 2].map(() => ({ quality: 80, minutiae: 30, scores: [0.1, 0.1] as [number, number] }));
    expect((await s.verify({}, ctx())).matched).toBe(false);
    lives = [{ quality: 80, minutiae: 30, scores: [1, 1] }];
    const e = await failure(s.verify({}, ctx()));
    expect(isBridgeError(e, 'TOO_MANY_ATTEMPTS')).toBe(true);
    expect(e.detail?.retryAfterSeconds).toBeGreaterThan(3500);
    // every call that ended in an error after the card was known left an audit entry (the full
    // miss of call 3 is recorded with its receipt by the caller, not here)
    expect(audited).toEqual(
      ['CAPTURE_TIMEOUT', 'CANCELLED', 'TOO_MANY_ATTEMPTS'].map((error) => ({
        chipSerial: 'CHIP-1',
        error,
        origin: 'http://127.0.0.1',
      })),
    );
  });

  it('a failing audit write does not hide the refusal', async () => {
    const s = service(1);
    lives = [0, 1, 2].map(() => ({ quality: 80, minutiae: 30, scores: [0.1, 0.1] as [number, number] }));
    await s.verify({}, ctx());
    // the audit hook fails from here on
    audited = undefined as unknown as typeof audited;
    const e = await failure(s.verify({}, ctx()));
    expect(e.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it("a match clears the card's failures", async () => {
    const s = service(3);
    lives = [0, 1, 2].map(() => ({ quality: 80, minutiae: 30, scores: [0.1, 0.1] as [number, number] }));
    await s.verify({}, ctx());
    expect(lockout.count('CHIP-1')).toBe(1);
    lives = [{ quality: 80, minutiae: 30, scores: [0.2, 0.7] }];
    expect(await s.verify({}, ctx())).toMatchObject({ matched: true, finger: 7, attempts: 1 });
    expect(lockout.count('CHIP-1')).toBe(0);
  });
});
