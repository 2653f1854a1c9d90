/**
 * ANSI/INCITS 378-2004 finger minutiae record ("FMR\0", version " 20\0"): read, and write for tests
 * and simulated enrolment systems. Some US-made enrolment kits write this instead of ISO.
 *
 * Record header, 26 bytes (30 when the short length field is 0), big-endian:
 *   'FMR\0' (4) | ' 20\0' (4) | record length (2; if 0, the next 4 bytes hold it) |
 *   CBEFF product identifier: owner (2) + type (2) | capture equipment compliance (4 bits) +
 *   scanner id (12 bits) (2) | image width (2) | image height (2) | x resolution px/cm (2) |
 *   y resolution px/cm (2) | number of finger views (1) | reserved (1)
 * then the finger views, laid out as in ISO/IEC 19794-2 (finger-views.ts), except that angles are
 * in units of 2 degrees (0..179).
 *
 * Both formats share the identifier and version, so the caller must know which one it holds.
 */
import { BridgeError } from '../errors.ts';
import {
  type AngleUnit,
  checkFmrIdentity,
  checkRecordLength,
  dpiToPxPerCm,
  FMR_MAGIC,
  FMR_VERSION_20,
  invalidRecord,
  parseViews,
  pxPerCmToDpi,
  viewSize,
  writeView,
} from './finger-views.ts';
import type { MinutiaeSet } from './types.ts';

const FORMAT = 'ANSI/INCITS 378-2004';
const SHORT_HEADER_BYTES = 26;
const LONG_LENGTH_EXTRA = 4;
const ANSI_ANGLE: AngleUnit = { stepsPerTurn: 180 };

/** Every finger view of the record, each as its own MinutiaeSet. */
export function decodeAnsi378Views(bytes: Uint8Array): MinutiaeSet[] {
  if (bytes.length < SHORT_HEADER_BYTES) {
    throw invalidRecord(FORMAT, `${bytes.length} bytes is shorter than the 26-byte header`);
  }
  checkFmrIdentity(FORMAT, bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let recordLength = view.getUint16(8);
  let pos = 10;
  if (recordLength === 0) {
    if (bytes.length < SHORT_HEADER_BYTES + LONG_LENGTH_EXTRA) {
      throw invalidRecord(FORMAT, 'truncated: the 4-byte record length is missing');
    }
    recordLength = view.getUint32(10);
    pos = 14;
  }
  const headerBytes = pos + 16;
  checkRecordLength(FORMAT, recordLength, headerBytes, bytes.length);
  pos += 6; // CBEFF product identifier and capture equipment: nothing the matcher needs
  const width = view.getUint16(pos);
  const height = view.getUint16(pos + 2);
  const resX = view.getUint16(pos + 4);
  const resY = view.getUint16(pos + 6);
  const viewCount = bytes[pos + 8];
  if (width === 0 || height === 0) throw invalidRecord(FORMAT, `image size ${width}x${height} is empty`);
  if (resX === 0 || resY === 0) throw invalidRecord(FORMAT, `resolution ${resX}x${resY} px/cm is zero`);
  if (viewCount === 0) throw invalidRecord(FORMAT, 'the record holds no finger view');
  const header = { width, height, dpiX: pxPerCmToDpi(resX), dpiY: pxPerCmToDpi(resY), viewCount };
  return parseViews(bytes, headerBytes, recordLength, header, ANSI_ANGLE, FORMAT);
}

/** The first finger view of the record. */
export function decodeAnsi378(bytes: Uint8Array): MinutiaeSet {
  return decodeAnsi378Views(bytes)[0];
}

/** Write a one-view record (short length field when it fits; CBEFF product id 0). */
export function encodeAnsi378(set: MinutiaeSet): Uint8Array {
  const resX = dpiToPxPerCm(set.dpiX);
  const resY = dpiToPxPerCm(set.dpiY);
  if (![set.width, set.height, resX, resY].every((v) => Number.isInteger(v) && v >= 1 && v <= 0xffff)) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `cannot write ${FORMAT} record: image size or resolution does not fit`,
    );
  }
  const body = viewSize(set);
  const long = SHORT_HEADER_BYTES + body > 0xffff;
  const headerBytes = SHORT_HEADER_BYTES + (long ? LONG_LENGTH_EXTRA : 0);
  const length = headerBytes + body;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out.set(FMR_MAGIC, 0);
  out.set(FMR_VERSION_20, 4);
  let pos = 8;
  if (long) {
    view.setUint16(8, 0);
    view.setUint32(10, length);
    pos = 14;
  } else {
    view.setUint16(8, length);
    pos = 10;
  }
  pos += 6; // product identifier and capture equipment left 0
  view.setUint16(pos, set.width);
  view.setUint16(pos + 2, set.height);
  view.setUint16(pos + 4, resX);
  view.setUint16(pos + 6, resY);
  out[pos + 8] = 1;
  writeView(out, headerBytes, set, 0, ANSI_ANGLE, FORMAT);
  return out;
}
