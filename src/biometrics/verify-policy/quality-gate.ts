import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';

/** The configured floor under a live capture (config finger.minQuality, finger.minMinutiae). */
export interface QualityGate {
  /** image quality 0..100 below which an attempt is not compared */
  minQuality: number;
  /** fewest minutiae an attempt must have to be compared */
  minMinutiae: number;
}

/**
 * Why a live capture is not worth comparing, or undefined when it is. Quality first: a poor image's
 * minutiae count says little. The same rule for the daemon and for eval.
 */
export function attemptRejection(
  live: Pick<MinutiaeSet, 'quality' | 'minutiae'>,
  gate: QualityGate,
): 'POOR_QUALITY' | 'TOO_FEW_MINUTIAE' | undefined {
  if (live.quality < gate.minQuality) return 'POOR_QUALITY';
  if (live.minutiae.length < gate.minMinutiae) return 'TOO_FEW_MINUTIAE';
  return undefined;
}
