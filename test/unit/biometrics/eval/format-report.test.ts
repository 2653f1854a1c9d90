import { describe, expect, it } from 'vitest';
import { formatEvalReport } from '../../../../src/biometrics/eval/format-report.ts';
import type { EvalReport } from '../../../../src/biometrics/eval/run-eval.ts';

describe('formatEvalReport', () => {
  it('says n/a, not NaN, for rates a set cannot measure (one impression per finger, no persons)', () => {
    const report: EvalReport = {
      dataset: '/data/single',
      mode: 'images',
      eer: Number.NaN,
      fnmrAtFmr1pct: Number.NaN,
      fnmrAtFmr01pct: Number.NaN,
      genuinePairs: 0,
      impostorPairs: 3,
      extractMsMedian: 10,
      extractMsP95: 12,
      compareMsMedian: 1,
      compareMsP95: 2,
      thresholdAtFmr1pct: 0.026,
      thresholdAtFmr01pct: 0.026,
      atShippedThresholds: [{ name: 'fmr1pct', threshold: 0.052, fmr: 0, fnmr: Number.NaN }],
      meanMinutiae: 30,
      genuineScores: [],
      impostorScores: [0.02, 0.021, 0.026],
      genuineIds: [],
      impostorIds: ['1_1:2_1', '1_1:3_1', '2_1:3_1'],
      verifyPolicy: {
        targetFmr: 0.001,
        maxAttempts: 3,
        combine: 'best',
        stageThresholds: [0.084, 0.084, 0.084],
        transactions: { genuine: 0, impostor: 0 },
        falseAccepts: 0,
        falseRejects: 0,
        fmr: Number.NaN,
        fnmr: Number.NaN,
        meanGenuineAttempts: Number.NaN,
        claims: {
          claims: { genuine: 70, impostor: 320 },
          falseAccepts: 0,
          falseRejects: 1,
          fmr: 0,
          fnmr: 1 / 70,
          meanGenuineCalls: 1.1,
        },
      },
    };
    const text = formatEvalReport(report);
    expect(text).not.toContain('NaN');
    expect(text).toContain('FNMR n/a (shipped threshold)');
    expect(text).toContain(
      'FMR n/a (0 false accepts), FNMR n/a (0 false rejects), n/a attempts per genuine match',
    );
    expect(text).toContain('FMR 0.00%, FNMR n/a');
    expect(text).toContain('the other finger after a failed call: 70 genuine / 320 impostor claims');
    expect(text).toContain(
      'FMR 0.00% (0 false accepts), FNMR 1.43% (1 false rejects), 1.10 calls per genuine match',
    );
  });
});
