/**
 * The finger-view section shared by ISO/IEC 19794-2:2005 and ANSI/INCITS 378-2004 minutiae records.
 * Both standards lay a view out the same way and differ only in the record header and in the angle
 * unit, so the header codecs (iso19794-2.ts, ansi378.ts) hand this module the bytes after their header
 * and an angle unit.
 *
 * View layout (big-endian):
 *   finger position (1) | view number (4 bits) + impression type (4 bits) (1) | finger quality (1) |
 *   minutiae count (1) | count × minutia (6) | extended data block length (2) | extended data
 * Minutia: type (2 bits: 01 ending, 10 bifurcation, 00 other) + x (14 bits) | reserved (2 bits) +
 *   y (14 bits) | angle (1, in the format's unit, counter-clockwise) | quality (1, 0..100)
 *
 * Writers disagree on whether the extended data block length counts its own two bytes, so both
 * readings are tried and the one that makes the views end where the record length says wins.
 */
import { BridgeError } from '../errors.ts';
import type { Minutia, MinutiaeSet, MinutiaType } from './types.ts';

/** Both standards open with 'FMR\0' and the version ' 20\0'. */
export const FMR_MAGIC = [0x46, 0x4d, 0x52, 0x00];
export const FMR_VERSION_20 = [0x20, 0x32, 0x30, 0x00];

/**
 * Checks the format identifier and version every FMR record starts with (' 20\\0' unless `version`
 * says otherwise); `badVersion` is the message for a record of another version.
 */
export function checkFmrIdentity(
  format: string,
  bytes: Uint8Array,
  version: readonly number[] = FMR_VERSION_20,
  badVersion = "version is not ' 20\\0'",
): void {
  const at = (offset: number, expected: readonly number[]) =>
    expected.every((b, i) => bytes[offset + i] === b);
  if (!at(0, FMR_MAGIC)) throw invalidRecord(format, "format identifier is not 'FMR\\0'");
  if (!at(4, version)) throw invalidRecord(format, badVersion);
}

/**
 * Checks a record's length field against its header and the bytes at hand: bytes beyond it are
 * ignored (a card file is often longer than the record it holds), fewer are a truncated record.
 */
export function checkRecordLength(
  format: string,
  recordLength: number,
  headerBytes: number,
  available: number,
): void {
  if (recordLength < headerBytes) {
    throw invalidRecord(format, `record length ${recordLength} is shorter than the header`);
  }
  if (recordLength > available) {
    throw invalidRecord(
      format,
      `truncated: record length says ${recordLength} bytes, only ${available} present`,
    );
  }
}

export interface RecordHeader {
  width: number;
  height: number;
  dpiX: number;
  dpiY: number;
  viewCount: number;
}

export interface AngleUnit {
  /** raw angle values per full turn: 256 for ISO 2005 (1.40625°), 180 for ANSI 378 (2°) */
  stepsPerTurn: number;
}

const TWO_PI = 2 * Math.PI;
const VIEW_HEADER_BYTES = 4;
const MINUTIA_BYTES = 6;
const EXTENDED_LENGTH_BYTES = 2;
/** ISO/IEC 19794-2 table of finger positions for single fingers: 0 unknown, 1..10 the fingers. */
export const MAX_FINGER_POSITION = 10;
export const MAX_QUALITY = 100;
const MAX_COORDINATE = 0x3fff;

const TYPE_FROM_BITS: Record<number, MinutiaType | undefined> = { 0: 'other', 1: 'ending', 2: 'bifurcation' };
const BITS_FROM_TYPE: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };

export function invalidRecord(
  format: string,
  message: string,
  detail?: Record<string, unknown>,
): BridgeError {
  return new BridgeError('CARD_DATA_INVALID', `${format} record: ${message}`, detail);
}

/**
 * The first five bytes of a minutia, laid out alike in ISO/IEC 19794-2:2005 and :2011 and ANSI 378:
 * type (2 bits) + x (14 bits) | reserved (2 bits) + y (14 bits) | angle. The quality byte, where
 * there is one, is the format's to read (its "not reported" value differs between editions).
 */
export function readMinutiaPosition(
  bytes: Uint8Array,
  p: number,
  image: { width: number; height: number },
  unit: AngleUnit,
  format: string,
  which: string,
): Omit<Minutia, 'quality'> {
  const type = TYPE_FROM_BITS[bytes[p] >> 6];
  const x = ((bytes[p] & 0x3f) << 8) | bytes[p + 1];
  const y = ((bytes[p + 2] & 0x3f) << 8) | bytes[p + 3];
  const rawAngle = bytes[p + 4];
  if (type === undefined) throw invalidRecord(format, `${which} has reserved type bits 11`);
  if (x >= image.width || y >= image.height) {
    throw invalidRecord(format, `${which} lies outside the ${image.width}x${image.height} image`);
  }
  if (rawAngle >= unit.stepsPerTurn) {
    throw invalidRecord(format, `${which} has an angle above ${unit.stepsPerTurn - 1}`);
  }
  return { x, y, angle: (rawAngle * TWO_PI) / unit.stepsPerTurn, type };
}

/** Parse one view starting at `pos`; returns the set and the offset of its extended data length field. */
function parseViewBody(
  bytes: Uint8Array,
  pos: number,
  end: number,
  header: RecordHeader,
  unit: AngleUnit,
  format: string,
  viewIndex: number,
): { set: MinutiaeSet; extPos: number } {
  const where = `finger view ${viewIndex + 1}`;
  if (pos + VIEW_HEADER_BYTES > end) throw invalidRecord(format, `${where} header is truncated`);
  const fingerPosition = bytes[pos];
  const quality = bytes[pos + 2];
  const count = bytes[pos + 3];
  if (fingerPosition > MAX_FINGER_POSITION) {
    throw invalidRecord(format, `${where} has finger position ${fingerPosition} (allowed 0..10)`);
  }
  if (quality > MAX_QUALITY)
    throw invalidRecord(format, `${where} has finger quality ${quality} (allowed 0..100)`);
  const minutiaeStart = pos + VIEW_HEADER_BYTES;
  const extPos = minutiaeStart + count * MINUTIA_BYTES;
  if (extPos + EXTENDED_LENGTH_BYTES > end) {
    throw invalidRecord(
      format,
      `${where} says ${count} minutiae but the record length leaves room for ${Math.max(0, Math.floor((end - minutiaeStart - EXTENDED_LENGTH_BYTES) / MINUTIA_BYTES))}`,
    );
  }
  const minutiae: Minutia[] = [];
  for (let i = 0; i < count; i++) {
    const p = minutiaeStart + i * MINUTIA_BYTES;
    const which = `${where} minutia ${i + 1}`;
    const m = readMinutiaPosition(bytes, p, header, unit, format, which);
    const mq = bytes[p + 5];
    if (mq > MAX_QUALITY) throw invalidRecord(format, `${which} has a quality above 100`);
    minutiae.push({ ...m, quality: mq });
  }
  const set: MinutiaeSet = {
    width: header.width,
    height: header.height,
    dpiX: header.dpiX,
    dpiY: header.dpiY,
    minutiae,
    quality,
    fingerPosition,
  };
  return { set, extPos };
}

function isZeroPadding(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Parse `header.viewCount` views in bytes[start, end). `end` is the record end from the record length
 * field. Each view's extended block length is read both ways; a depth-first search (memoised, so it
 * stays linear) keeps the first combination whose views end exactly at `end` or are followed only by
 * zero padding. If none fits, the error of the preferred reading is thrown.
 */
export function parseViews(
  bytes: Uint8Array,
  start: number,
  end: number,
  header: RecordHeader,
  unit: AngleUnit,
  format: string,
): MinutiaeSet[] {
  const failed = new Set<string>();
  let firstError: BridgeError | undefined;

  const walk = (pos: number, index: number): MinutiaeSet[] | undefined => {
    if (index === header.viewCount) {
      if (pos === end || (pos < end && isZeroPadding(bytes, pos, end))) return [];
      firstError ??= invalidRecord(
        format,
        `the finger views end at byte ${pos} but the record length says ${end} (minutiae count or lengths disagree)`,
      );
      return undefined;
    }
    const key = `${index}:${pos}`;
    if (failed.has(key)) return undefined;
    let body: { set: MinutiaeSet; extPos: number };
    try {
      body = parseViewBody(bytes, pos, end, header, unit, format, index);
    } catch (e) {
      firstError ??= e as BridgeError;
      failed.add(key);
      return undefined;
    }
    const extLength = (bytes[body.extPos] << 8) | bytes[body.extPos + 1];
    const afterField = body.extPos + EXTENDED_LENGTH_BYTES;
    // Reading A: the length counts the data only. Reading B: it also counts its own two bytes.
    const candidates = [afterField + extLength];
    if (extLength >= EXTENDED_LENGTH_BYTES && extLength !== 0) candidates.push(body.extPos + extLength);
    for (const next of candidates) {
      if (next > end) {
        firstError ??= invalidRecord(
          format,
          `finger view ${index + 1} extended data (${extLength} bytes) runs past the record end`,
        );
        continue;
      }
      const rest = walk(next, index + 1);
      if (rest) return [body.set, ...rest];
    }
    failed.add(key);
    return undefined;
  };

  const views = walk(start, 0);
  if (!views) throw firstError ?? invalidRecord(format, 'the finger views cannot be parsed');
  return views;
}

/** Bytes one view takes when written (no extended data). */
export function viewSize(set: MinutiaeSet): number {
  return VIEW_HEADER_BYTES + set.minutiae.length * MINUTIA_BYTES + EXTENDED_LENGTH_BYTES;
}

export function badInput(format: string, message: string): BridgeError {
  return new BridgeError('INVALID_PARAMS', `cannot write ${format} record: ${message}`);
}

export function checkByte(format: string, name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badInput(format, `${name} ${value} is not an integer in 0..${max}`);
  }
  return value;
}

/** Writes the five position bytes of minutia `i` (readMinutiaPosition's layout) at `p`. */
export function writeMinutiaPosition(
  out: Uint8Array,
  p: number,
  m: Minutia,
  i: number,
  image: { width: number; height: number },
  unit: AngleUnit,
  format: string,
): void {
  // Sub-pixel positions (an extractor's output) round to whole pixels; one that rounds onto the
  // far edge (x = 387.6 in a 388-wide image) is kept on the last pixel rather than refused.
  const x = Math.min(Math.round(m.x), image.width - 1);
  const y = Math.min(Math.round(m.y), image.height - 1);
  if (
    !(
      m.x >= -0.5 &&
      m.x < image.width &&
      m.y >= -0.5 &&
      m.y < image.height &&
      x <= MAX_COORDINATE &&
      y <= MAX_COORDINATE
    )
  ) {
    // Index only: a minutia's values are part of a template and stay out of messages and logs.
    throw badInput(format, `minutia ${i + 1} lies outside the ${image.width}x${image.height} image`);
  }
  if (!Number.isFinite(m.angle)) throw badInput(format, `minutia ${i + 1} has no valid angle`);
  const turn = (((m.angle / TWO_PI) % 1) + 1) % 1;
  const raw = Math.round(turn * unit.stepsPerTurn) % unit.stepsPerTurn;
  const typeBits = BITS_FROM_TYPE[m.type];
  if (typeBits === undefined) throw badInput(format, `minutia ${i + 1} has an unknown type`);
  out[p] = (typeBits << 6) | (x >> 8);
  out[p + 1] = x & 0xff;
  out[p + 2] = y >> 8;
  out[p + 3] = y & 0xff;
  out[p + 4] = raw;
}

/** Write one view at `pos` (extended data length 0); returns the offset after it. */
export function writeView(
  out: Uint8Array,
  pos: number,
  set: MinutiaeSet,
  viewNumber: number,
  unit: AngleUnit,
  format: string,
): number {
  if (set.minutiae.length > 255)
    throw badInput(format, `${set.minutiae.length} minutiae (at most 255 per view)`);
  out[pos] = checkByte(format, 'finger position', set.fingerPosition, MAX_FINGER_POSITION);
  // Impression type 0 (live-scan plain): the only one a counter scanner produces.
  out[pos + 1] = (viewNumber & 0x0f) << 4;
  out[pos + 2] = checkByte(format, 'finger quality', set.quality, MAX_QUALITY);
  out[pos + 3] = set.minutiae.length;
  let p = pos + VIEW_HEADER_BYTES;
  for (const [i, m] of set.minutiae.entries()) {
    writeMinutiaPosition(out, p, m, i, set, unit, format);
    out[p + 5] = checkByte(format, `minutia ${i + 1} quality`, m.quality, MAX_QUALITY);
    p += MINUTIA_BYTES;
  }
  out[p] = 0;
  out[p + 1] = 0;
  return p + EXTENDED_LENGTH_BYTES;
}

/** px/cm as stored in the record -> dots per inch as kept in MinutiaeSet (197 px/cm = 500.38 dpi). */
export function pxPerCmToDpi(pxPerCm: number): number {
  return pxPerCm * 2.54;
}

export function dpiToPxPerCm(dpi: number): number {
  return Math.round(dpi / 2.54);
}
