/**
 * ISO/IEC 19794-2:2011 finger minutiae record ("FMR\0", version "030\0"), read and write: the edition
 * after the e-KTP's (the card holds :2005, iso19794-2.ts), which a backend's AFIS may well export for
 * a gallery. Same minutiae and angle unit (360/256 degrees); what moved is the framing: the image
 * size and resolution are per finger representation, after a 19794-1:2011 sample header.
 *
 * General header, 15 bytes, big-endian:
 *   'FMR\0' (4) | '030\0' (4) | record length (4) | number of representations (2) |
 *   certification flag (1: 1 = every representation carries a certification block count)
 * Representation:
 *   representation length (4, whole representation) | capture date and time (9) |
 *   capture device technology (1) | vendor id (2) | device type id (2) |
 *   quality block count (1) + count × 5 (score 0..100, 255 = failed; algorithm vendor 2; algorithm 2) |
 *   [certification block count (1) + count × 3, when the flag says so] |
 *   finger position (1) | representation number (1) | x, y resolution px/cm (2, 2) | impression type (1) |
 *   image width, height (2, 2) | minutia field length (4 bits: 5 or 6) + ridge ending type (4 bits) (1) |
 *   minutiae count (1) | count × minutia (5 or 6) | extended data length (2) | extended data
 * Minutia: type (2 bits) + x (14 bits) | reserved (2 bits) + y (14 bits) | angle (1) |
 *   quality (1, only in 6-byte fields: 0..100, 254 not reported, 255 failed)
 *
 * Quality "not reported" and "failed" read as 0, the :2005 and MinutiaeSet meaning of "not reported";
 * the finger's quality is the first quality block's score. The ridge ending type (whether an ending
 * sits on the valley bifurcation or on the ridge's end) is not carried over: the two points lie
 * about half a ridge period apart, well inside the matcher's pairing tolerance. Extended data
 * (ridge counts, cores and deltas, zonal quality) is skipped.
 */
import { BridgeError } from '../errors.ts';
import {
  type AngleUnit,
  badInput,
  checkByte,
  checkFmrIdentity,
  checkRecordLength,
  dpiToPxPerCm,
  FMR_MAGIC,
  invalidRecord,
  MAX_FINGER_POSITION,
  MAX_QUALITY,
  pxPerCmToDpi,
  readMinutiaPosition,
  writeMinutiaPosition,
} from './finger-views.ts';
import type { Minutia, MinutiaeSet } from './types.ts';

const FORMAT = 'ISO/IEC 19794-2:2011';
export const FMR_VERSION_030 = [0x30, 0x33, 0x30, 0x00];
const HEADER_BYTES = 15;
/** Length, date and time, technology, vendor, device type, quality count: up to the quality blocks. */
const SAMPLE_HEADER_BYTES = 4 + 9 + 1 + 2 + 2 + 1;
const QUALITY_BLOCK_BYTES = 5;
const CERTIFICATION_BLOCK_BYTES = 3;
/** Position, representation number, resolutions, impression type, size, field length, count. */
const FINGER_HEADER_BYTES = 1 + 1 + 2 + 2 + 1 + 2 + 2 + 1 + 1;
const EXTENDED_LENGTH_BYTES = 2;
const QUALITY_NOT_REPORTED = 254;
const QUALITY_FAILED = 255;
const ANGLE: AngleUnit = { stepsPerTurn: 256 };

export function isIso19794_2v2011(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && [...FMR_MAGIC, ...FMR_VERSION_030].every((b, i) => bytes[i] === b);
}

/** Every finger representation of the record, each as its own MinutiaeSet. */
export function decodeIso19794_2v2011Views(bytes: Uint8Array): MinutiaeSet[] {
  if (bytes.length < HEADER_BYTES) {
    throw invalidRecord(FORMAT, `${bytes.length} bytes is shorter than the 15-byte header`);
  }
  checkFmrIdentity(FORMAT, bytes, FMR_VERSION_030, "version is not '030\\0'");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordLength = view.getUint32(8);
  checkRecordLength(FORMAT, recordLength, HEADER_BYTES, bytes.length);
  const count = view.getUint16(12);
  const certified = bytes[14];
  if (count === 0) throw invalidRecord(FORMAT, 'the record holds no finger representation');
  if (certified > 1) throw invalidRecord(FORMAT, `certification flag ${certified} (allowed 0 or 1)`);
  const sets: MinutiaeSet[] = [];
  let pos = HEADER_BYTES;
  for (let r = 0; r < count; r++) {
    const where = `finger representation ${r + 1}`;
    if (pos + 4 > recordLength) throw invalidRecord(FORMAT, `${where} is missing or truncated`);
    const end = pos + view.getUint32(pos);
    if (end > recordLength || end < pos + SAMPLE_HEADER_BYTES) {
      throw invalidRecord(FORMAT, `${where} length does not fit the record`);
    }
    sets.push(parseRepresentation(bytes, view, pos, end, certified === 1, where));
    pos = end;
  }
  if (pos !== recordLength) {
    throw invalidRecord(
      FORMAT,
      `the representations end at byte ${pos} but the record length says ${recordLength}`,
    );
  }
  return sets;
}

function parseRepresentation(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  certified: boolean,
  where: string,
): MinutiaeSet {
  const need = (at: number, n: number, what: string) => {
    if (at + n > end) throw invalidRecord(FORMAT, `${where}: ${what} runs past its length`);
  };
  let p = start + SAMPLE_HEADER_BYTES - 1;
  const qualityBlocks = bytes[p];
  p += 1;
  need(p, qualityBlocks * QUALITY_BLOCK_BYTES, 'the quality blocks');
  const firstScore = qualityBlocks > 0 ? bytes[p] : QUALITY_NOT_REPORTED;
  if (firstScore > MAX_QUALITY && firstScore !== QUALITY_FAILED && firstScore !== QUALITY_NOT_REPORTED) {
    throw invalidRecord(FORMAT, `${where} has quality score ${firstScore} (allowed 0..100, 255)`);
  }
  p += qualityBlocks * QUALITY_BLOCK_BYTES;
  if (certified) {
    need(p, 1, 'the certification block count');
    const blocks = bytes[p];
    p += 1;
    need(p, blocks * CERTIFICATION_BLOCK_BYTES, 'the certification blocks');
    p += blocks * CERTIFICATION_BLOCK_BYTES;
  }
  need(p, FINGER_HEADER_BYTES, 'the finger header');
  const fingerPosition = bytes[p];
  const resX = view.getUint16(p + 2);
  const resY = view.getUint16(p + 4);
  const width = view.getUint16(p + 7);
  const height = view.getUint16(p + 9);
  const fieldLength = bytes[p + 11] >> 4;
  const count = bytes[p + 12];
  p += FINGER_HEADER_BYTES;
  if (fingerPosition > MAX_FINGER_POSITION) {
    throw invalidRecord(FORMAT, `${where} has finger position ${fingerPosition} (allowed 0..10)`);
  }
  if (resX === 0 || resY === 0) throw invalidRecord(FORMAT, `${where} has resolution ${resX}x${resY} px/cm`);
  if (width === 0 || height === 0) throw invalidRecord(FORMAT, `${where} has image size ${width}x${height}`);
  if (fieldLength !== 5 && fieldLength !== 6) {
    throw invalidRecord(FORMAT, `${where} has minutia field length ${fieldLength} (allowed 5 or 6)`);
  }
  need(p, count * fieldLength + EXTENDED_LENGTH_BYTES, `the ${count} minutiae`);
  const minutiae: Minutia[] = [];
  for (let i = 0; i < count; i++) {
    const which = `${where} minutia ${i + 1}`;
    const m = readMinutiaPosition(bytes, p, { width, height }, ANGLE, FORMAT, which);
    const q = fieldLength === 6 ? bytes[p + 5] : QUALITY_NOT_REPORTED;
    if (q > MAX_QUALITY && q !== QUALITY_NOT_REPORTED && q !== QUALITY_FAILED) {
      throw invalidRecord(FORMAT, `${which} has quality ${q} (allowed 0..100, 254, 255)`);
    }
    minutiae.push({ ...m, quality: q > MAX_QUALITY ? 0 : q });
    p += fieldLength;
  }
  const extended = view.getUint16(p);
  if (p + EXTENDED_LENGTH_BYTES + extended !== end) {
    throw invalidRecord(
      FORMAT,
      `${where}: the extended data (${extended} bytes) does not end the representation`,
    );
  }
  return {
    width,
    height,
    dpiX: pxPerCmToDpi(resX),
    dpiY: pxPerCmToDpi(resY),
    minutiae,
    quality: firstScore > MAX_QUALITY ? 0 : firstScore,
    fingerPosition,
  };
}

/**
 * Write one record holding the given views, each its own representation (numbered in order), with
 * 6-byte minutiae, no capture date (all 0xFF), device unknown, no certification, and the finger's
 * quality as one quality block (vendor and algorithm 0) unless it is 0 (not reported).
 */
export function encodeIso19794_2v2011Views(sets: MinutiaeSet[]): Uint8Array {
  if (sets.length === 0 || sets.length > 0xffff) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `cannot write ${FORMAT} record: ${sets.length} finger representations`,
    );
  }
  const sizes = sets.map((s) => {
    if (s.minutiae.length > 255)
      throw badInput(FORMAT, `${s.minutiae.length} minutiae (at most 255 per view)`);
    return (
      SAMPLE_HEADER_BYTES +
      (s.quality > 0 ? QUALITY_BLOCK_BYTES : 0) +
      FINGER_HEADER_BYTES +
      6 * s.minutiae.length +
      EXTENDED_LENGTH_BYTES
    );
  });
  const length = HEADER_BYTES + sizes.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out.set(FMR_MAGIC, 0);
  out.set(FMR_VERSION_030, 4);
  view.setUint32(8, length);
  view.setUint16(12, sets.length);
  out[14] = 0;
  let pos = HEADER_BYTES;
  sets.forEach((s, r) => {
    view.setUint32(pos, sizes[r]);
    out.fill(0xff, pos + 4, pos + 13); // capture date and time not given
    let p = pos + SAMPLE_HEADER_BYTES - 1; // technology, vendor and device type stay 0 (unknown)
    const quality = checkByte(FORMAT, 'finger quality', s.quality, MAX_QUALITY);
    out[p] = quality > 0 ? 1 : 0;
    p += 1;
    if (quality > 0) {
      out[p] = quality;
      p += QUALITY_BLOCK_BYTES;
    }
    const resX = dpiToPxPerCm(s.dpiX);
    const resY = dpiToPxPerCm(s.dpiY);
    const dims = [s.width, s.height, resX, resY];
    if (!dims.every((v) => Number.isInteger(v) && v >= 1 && v <= 0xffff)) {
      throw badInput(FORMAT, `image ${s.width}x${s.height} at ${resX}x${resY} px/cm does not fit`);
    }
    out[p] = checkByte(FORMAT, 'finger position', s.fingerPosition, MAX_FINGER_POSITION);
    // Views of one finger are numbered 0, 1, ... (4 bits) in record order.
    const viewNumber = sets.slice(0, r).filter((t) => t.fingerPosition === s.fingerPosition).length;
    if (viewNumber > 15) throw badInput(FORMAT, `more than 16 views of finger ${s.fingerPosition}`);
    out[p + 1] = viewNumber;
    view.setUint16(p + 2, resX);
    view.setUint16(p + 4, resY);
    out[p + 6] = 0; // impression type: live-scan plain
    view.setUint16(p + 7, s.width);
    view.setUint16(p + 9, s.height);
    out[p + 11] = 6 << 4; // 6-byte minutiae; ending type 0 (valley skeleton bifurcation, as :2005)
    out[p + 12] = s.minutiae.length;
    p += FINGER_HEADER_BYTES;
    for (const [i, m] of s.minutiae.entries()) {
      writeMinutiaPosition(out, p, m, i, s, ANGLE, FORMAT);
      const q = checkByte(FORMAT, `minutia ${i + 1} quality`, m.quality, MAX_QUALITY);
      out[p + 5] = q === 0 ? QUALITY_NOT_REPORTED : q;
      p += 6;
    }
    view.setUint16(p, 0);
    pos += sizes[r];
  });
  return out;
}
