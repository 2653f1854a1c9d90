/**
 * Compact card minutiae format: 3 bytes per minutia, no header. Smart cards that match on-card or
 * have little room store minutiae this way; the card profile names the finger and the context
 * (finger position, quality) travels outside the bytes.
 *
 * Layout of one minutia (the ISO/IEC 19794-2 compact card format, so that an on-card comparator or
 * another vendor's reader sees the same thing):
 *   byte 0: x in units of 0.1 mm from the left edge (0..255 = 0..25.5 mm, wider than a fingertip)
 *   byte 1: y in units of 0.1 mm from the top edge
 *   byte 2: type (2 high bits: 01 ending, 10 bifurcation, 00 other; 11 reserved) and
 *           angle (6 low bits, units of 360/64 = 5.625 degrees, counter-clockwise as in ISO)
 * 0.1 mm is about 2 pixels at 500 dpi and 5.6 degrees is well inside any matcher's angle tolerance,
 * so the precision lost against the 6-byte record costs little accuracy for half the space.
 *
 * Decoded sets are in 0.1 mm units: dpiX = dpiY = 254 (one unit = 1/254 inch), 256 x 256 "pixels";
 * the matcher rescales to 500 dpi itself, as for any other resolution.
 */
import { BridgeError } from '../errors.ts';
import type { Minutia, MinutiaeSet, MinutiaType } from './types.ts';

const FORMAT = 'compact card minutiae';
const BYTES_PER_MINUTIA = 3;
/** Dots per inch of a 0.1 mm grid. */
export const COMPACT_CARD_DPI = 254;
const GRID = 256;
const ANGLE_STEPS = 64;
const TWO_PI = 2 * Math.PI;

const TYPE_FROM_BITS: Record<number, MinutiaType | undefined> = { 0: 'other', 1: 'ending', 2: 'bifurcation' };
const BITS_FROM_TYPE: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };

export interface CompactCardContext {
  /** ISO finger position of the finger these minutiae belong to (0 = unknown) */
  fingerPosition?: number;
  /** finger quality 0..100 if known from elsewhere (0 = not reported) */
  quality?: number;
}

export function decodeCompactCard(bytes: Uint8Array, context: CompactCardContext = {}): MinutiaeSet {
  if (bytes.length % BYTES_PER_MINUTIA !== 0) {
    throw new BridgeError(
      'CARD_DATA_INVALID',
      `${FORMAT}: ${bytes.length} bytes is not a whole number of 3-byte minutiae`,
    );
  }
  const minutiae: Minutia[] = [];
  for (let p = 0; p < bytes.length; p += BYTES_PER_MINUTIA) {
    const type = TYPE_FROM_BITS[bytes[p + 2] >> 6];
    if (type === undefined) {
      throw new BridgeError('CARD_DATA_INVALID', `${FORMAT}: minutia ${p / 3 + 1} has reserved type bits 11`);
    }
    const angle = ((bytes[p + 2] & 0x3f) * TWO_PI) / ANGLE_STEPS;
    minutiae.push({ x: bytes[p], y: bytes[p + 1], angle, type, quality: 0 });
  }
  return {
    width: GRID,
    height: GRID,
    dpiX: COMPACT_CARD_DPI,
    dpiY: COMPACT_CARD_DPI,
    minutiae,
    quality: context.quality ?? 0,
    fingerPosition: context.fingerPosition ?? 0,
  };
}

/** Convert pixel coordinates at the set's resolution to the 0.1 mm grid; INVALID_PARAMS past 25.5 mm. */
export function encodeCompactCard(set: MinutiaeSet): Uint8Array {
  if (!(set.dpiX > 0 && set.dpiY > 0)) {
    throw new BridgeError('INVALID_PARAMS', `cannot write ${FORMAT}: resolution ${set.dpiX}x${set.dpiY} dpi`);
  }
  const out = new Uint8Array(set.minutiae.length * BYTES_PER_MINUTIA);
  set.minutiae.forEach((m, i) => {
    const fx = (m.x * COMPACT_CARD_DPI) / set.dpiX;
    const fy = (m.y * COMPACT_CARD_DPI) / set.dpiY;
    // Rounding onto 25.6 mm from just inside 25.55 mm keeps the last grid step rather than failing.
    const x = Math.min(Math.round(fx), GRID - 1);
    const y = Math.min(Math.round(fy), GRID - 1);
    if (!(fx >= -0.5 && fx < GRID && fy >= -0.5 && fy < GRID)) {
      throw new BridgeError('INVALID_PARAMS', `cannot write ${FORMAT}: minutia ${i + 1} lies beyond 25.5 mm`);
    }
    if (!Number.isFinite(m.angle))
      throw new BridgeError('INVALID_PARAMS', `cannot write ${FORMAT}: minutia ${i + 1} has no valid angle`);
    const turn = (((m.angle / TWO_PI) % 1) + 1) % 1;
    const angle = Math.round(turn * ANGLE_STEPS) % ANGLE_STEPS;
    const typeBits = BITS_FROM_TYPE[m.type];
    if (typeBits === undefined)
      throw new BridgeError('INVALID_PARAMS', `cannot write ${FORMAT}: minutia ${i + 1} has an unknown type`);
    out[i * 3] = x;
    out[i * 3 + 1] = y;
    out[i * 3 + 2] = (typeBits << 6) | angle;
  });
  return out;
}
