/**
 * Decision thresholds for `compare` scores, each the lowest score that kept the false-match rate at or
 * below the named rate on the FVC2002 DB1_B..DB4_B impostor comparisons (all cross-finger pairs,
 * 4 x 2,880, pooled), taking the stricter of "our extraction vs the commercial template" and "our
 * extraction on both sides". Measured with `npx tsx test/bench/match/thresholds.ts`; see
 * docs/matching.md.
 * Valid only for the parameters in params.ts: re-measure when those change.
 */
export const THRESHOLDS = {
  /** FMR 1% */
  fmr1pct: 0.052,
  /** FMR 0.1% */
  fmr01pct: 0.07,
  /** FMR 0.01%: only ~1 of 11,520 impostors may pass, so this one is a rough estimate */
  fmr001pct: 0.088,
} as const;

/** One comparison at FMR 0.1% (tests, 1:N). finger.verify decides whole calls: src/biometrics/verify-policy. */
export const DEFAULT_THRESHOLD = THRESHOLDS.fmr01pct;
