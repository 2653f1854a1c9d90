/**
 * Decision thresholds for `compare` scores, each the lowest score that kept the false-match rate at or
 * below the named rate on the FVC2002 DB1_B..DB4_B impostor comparisons (all cross-finger pairs,
 * 4 x 2,880). How they were measured, and with which command, is in docs/matching.md.
 * Valid only for the parameters in params.ts: re-measure when those change.
 */
export const THRESHOLDS = {
  /** FMR 1% */
  fmr1pct: 0.139,
  /** FMR 0.1% */
  fmr01pct: 0.194,
  /** FMR 0.01% (extrapolated: see docs/matching.md) */
  fmr001pct: 0.232,
} as const;

/** The threshold the daemon uses for finger.verify unless configured otherwise: FMR 0.1%. */
export const DEFAULT_THRESHOLD = THRESHOLDS.fmr01pct;
