/**
 * A minutiae source that takes a resident's card templates from their synthetic fingers
 * (simulator/fingerprints): render one enrolment impression of the finger and extract it. The extractor
 * is a parameter (the daemon's lives in src/biometrics), so the simulator does not depend on src/.
 *
 *   makeResident(seed, { minutiaeSource: minutiaeFromSyntheticFingers(extractMinutiae) })
 *
 * About 1-2 s per finger on a loaded 2-core machine: use it where a live finger must match the card.
 */
import type { GrayImage, MinutiaeSet } from '../../protocols/biometrics/types.ts';
import { syntheticFinger } from '../fingerprints/index.ts';
import type { MinutiaeSource } from './minutiae.ts';

export interface FingerSourceOptions {
  /** impression seed of the enrolment capture (default 0); live captures should use other seeds */
  enrolmentImpression?: number;
}

export function minutiaeFromSyntheticFingers(
  extract: (image: GrayImage) => MinutiaeSet,
  opts: FingerSourceOptions = {},
): MinutiaeSource {
  return (_rng, fingerPosition, fingerSeed) => {
    const image = syntheticFinger(fingerSeed).impression(opts.enrolmentImpression ?? 0);
    const set = extract(image);
    // Keep only the MinutiaeSet fields: extractors may return extra diagnostics.
    return {
      width: set.width,
      height: set.height,
      dpiX: set.dpiX,
      dpiY: set.dpiY,
      quality: set.quality,
      fingerPosition,
      minutiae: set.minutiae.map((m) => ({
        x: m.x,
        y: m.y,
        angle: m.angle,
        type: m.type,
        quality: m.quality,
      })),
    };
  };
}
