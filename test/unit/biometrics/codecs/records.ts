/** What the ISO/IEC 19794-2 tests of both editions share: a sample set and the refusal check. */
import { expect } from 'vitest';
import { decodeIso19794_2Views } from '../../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';

/** Minutiae on the image's corners and edges, of every type, with reported and unreported quality. */
export const SAMPLE_SET: MinutiaeSet = {
  width: 388,
  height: 374,
  dpiX: 500,
  dpiY: 500,
  quality: 60,
  fingerPosition: 2,
  minutiae: [
    { x: 10, y: 20, angle: 0, type: 'ending', quality: 80 },
    { x: 387, y: 373, angle: Math.PI, type: 'bifurcation', quality: 0 },
    { x: 200, y: 5, angle: (3 * Math.PI) / 2, type: 'other', quality: 100 },
  ],
};

/** `bytes` are refused by the ISO reader (either edition) with CARD_DATA_INVALID and a message matching `pattern`. */
export function expectInvalid(bytes: Uint8Array, pattern: RegExp): void {
  let error: unknown;
  try {
    decodeIso19794_2Views(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BridgeError);
  expect((error as BridgeError).code).toBe('CARD_DATA_INVALID');
  expect((error as BridgeError).message).toMatch(pattern);
}
