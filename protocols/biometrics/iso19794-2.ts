/**
 * ISO/IEC 19794-2:2005 finger minutiae record ("FMR\0", version " 20\0"), read and write. The readers
 * below also take a :2011 record ("030\0", iso19794-2-2011.ts), so a gallery or an `eval` folder
 * from a newer AFIS is read as it comes; the writer writes :2005, the card's edition.
 * This is the format of EF.MINUTIAE1/2 on the e-KTP (ektp-card-profile.md), so the card reader
 * decodes with it and the card simulator encodes with it.
 *
 * Record header, 24 bytes, big-endian:
 *   'FMR\0' (4) | ' 20\0' (4) | record length (4, whole record) | capture equipment certification
 *   (4 bits) + capture device type (12 bits) (2) | image width (2) | image height (2) |
 *   x resolution px/cm (2) | y resolution px/cm (2) | number of finger views (1) | reserved (1)
 * then the finger views (finger-views.ts). Angles are in units of 360/256 degrees.
 *
 * Bytes after the record length are ignored (a card file is often longer than the record it holds).
 * Extended data (ridge counts, cores, deltas) is skipped on read and not written.
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
import { decodeIso19794_2v2011Views, isIso19794_2v2011 } from './iso19794-2-2011.ts';
import type { MinutiaeSet } from './types.ts';

const FORMAT = 'ISO/IEC 19794-2:2005';
const HEADER_BYTES = 24;
const ISO_2005_ANGLE: AngleUnit = { stepsPerTurn: 256 };

/** Every finger view of the record, each as its own MinutiaeSet (sharing the header's size and dpi). */
export function decodeIso19794_2Views(bytes: Uint8Array): MinutiaeSet[] {
  if (isIso19794_2v2011(bytes)) return decodeIso19794_2v2011Views(bytes);
  if (bytes.length < HEADER_BYTES) {
    throw invalidRecord(FORMAT, `${bytes.length} bytes is shorter than the 24-byte header`);
  }
  // a :2011 record went to its own reader above: any other version is neither edition
  checkFmrIdentity(FORMAT, bytes, FMR_VERSION_20, "version is neither ' 20\\0' (:2005) nor '030\\0' (:2011)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordLength = view.getUint32(8);
  checkRecordLength(FORMAT, recordLength, HEADER_BYTES, bytes.length);
  const width = view.getUint16(14);
  const height = view.getUint16(16);
  const resX = view.getUint16(18);
  const resY = view.getUint16(20);
  const viewCount = bytes[22];
  if (width === 0 || height === 0) throw invalidRecord(FORMAT, `image size ${width}x${height} is empty`);
  if (resX === 0 || resY === 0) throw invalidRecord(FORMAT, `resolution ${resX}x${resY} px/cm is zero`);
  if (viewCount === 0) throw invalidRecord(FORMAT, 'the record holds no finger view');
  const header = { width, height, dpiX: pxPerCmToDpi(resX), dpiY: pxPerCmToDpi(resY), viewCount };
  return parseViews(bytes, HEADER_BYTES, recordLength, header, ISO_2005_ANGLE, FORMAT);
}

/** The first finger view of the record (a card's EF.MINUTIAE holds one). */
export function decodeIso19794_2(bytes: Uint8Array): MinutiaeSet {
  return decodeIso19794_2Views(bytes)[0];
}

/**
 * Write one record holding the given views (usually one). All views must share image size and
 * resolution, which live in the record header. Minutia coordinates are rounded to whole pixels and
 * angles to the nearest 360/256 degrees.
 */
export function encodeIso19794_2Views(sets: MinutiaeSet[]): Uint8Array {
  if (sets.length === 0 || sets.length > 255) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `cannot write ${FORMAT} record: ${sets.length} finger views (1..255)`,
    );
  }
  const first = sets[0];
  const resX = dpiToPxPerCm(first.dpiX);
  const resY = dpiToPxPerCm(first.dpiY);
  for (const s of sets) {
    if (
      s.width !== first.width ||
      s.height !== first.height ||
      dpiToPxPerCm(s.dpiX) !== resX ||
      dpiToPxPerCm(s.dpiY) !== resY
    ) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `cannot write ${FORMAT} record: views differ in image size or resolution`,
      );
    }
  }
  const dims = [first.width, first.height, resX, resY];
  if (!dims.every((v) => Number.isInteger(v) && v >= 1 && v <= 0xffff)) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `cannot write ${FORMAT} record: image ${first.width}x${first.height} at ${resX}x${resY} px/cm does not fit`,
    );
  }
  const length = HEADER_BYTES + sets.reduce((n, s) => n + viewSize(s), 0);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out.set(FMR_MAGIC, 0);
  out.set(FMR_VERSION_20, 4);
  view.setUint32(8, length);
  view.setUint16(12, 0); // capture equipment: not certified, device type unreported
  view.setUint16(14, first.width);
  view.setUint16(16, first.height);
  view.setUint16(18, resX);
  view.setUint16(20, resY);
  out[22] = sets.length;
  out[23] = 0;
  let pos = HEADER_BYTES;
  sets.forEach((s, i) => {
    pos = writeView(out, pos, s, i, ISO_2005_ANGLE, FORMAT);
  });
  return out;
}

/** Write a one-view record. */
export function encodeIso19794_2(set: MinutiaeSet): Uint8Array {
  return encodeIso19794_2Views([set]);
}
