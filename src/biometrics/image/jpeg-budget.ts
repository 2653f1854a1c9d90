/**
 * JPEG headers checked against the image budget before jpeg-js sees the file. jpeg-js allocates a
 * separate 64-entry Int32Array for every 8x8 block of every component of the frame it is told
 * about (~700 bytes each with the typed array's own overhead, which its memory accounting leaves
 * out), so a 618-byte file claiming 4000x4000 took 565 MB. So every frame header (SOFn) is read:
 * one frame only, of a process jpeg-js decodes, within the size budget; the memory jpeg-js will
 * hold is computed from the sampling factors; and a sequential (baseline/extended) scan must carry
 * at least the two Huffman bits every block needs, so a short file cannot claim a large frame.
 */
import { checkDecodeBytes, checkDimensions } from './budget.ts';
import { undecodable } from './grey.ts';

/** jpeg-js's cost per 8x8 block: a 256-byte Int32Array and its object and backing-store overhead */
const BYTES_PER_BLOCK = 700;
const SOF_DECODED = new Set([0xc0, 0xc1, 0xc2]);
const SOS = 0xda;
const EOI = 0xd9;
/** markers without a length field */
const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);

interface Frame {
  marker: number;
  width: number;
  height: number;
  /** blocks jpeg-js allocates over all components (whole MCUs) */
  blocks: number;
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readFrame(bytes: Uint8Array, at: number, length: number, marker: number): Frame {
  if (length < 8) throw undecodable('JPEG', 'frame header too short');
  const height = (bytes[at + 3] << 8) | bytes[at + 4];
  const width = (bytes[at + 5] << 8) | bytes[at + 6];
  const count = bytes[at + 7];
  if (!SOF_DECODED.has(marker))
    throw undecodable(
      'JPEG',
      `coding process SOF${marker - 0xc0} is not supported (baseline, extended, progressive)`,
    );
  checkDimensions('JPEG image', width, height);
  if (count < 1 || count > 4 || length < 8 + 3 * count) throw undecodable('JPEG', `${count} components`);
  const sampling: Array<[number, number]> = [];
  for (let c = 0; c < count; c++) {
    const hv = bytes[at + 9 + 3 * c];
    if (hv >> 4 < 1 || hv >> 4 > 4 || (hv & 15) < 1 || (hv & 15) > 4)
      throw undecodable('JPEG', 'sampling factors outside 1..4');
    sampling.push([hv >> 4, hv & 15]);
  }
  const maxH = Math.max(...sampling.map(([h]) => h));
  const maxV = Math.max(...sampling.map(([, v]) => v));
  const mcusPerLine = Math.ceil(width / 8 / maxH);
  const mcusPerColumn = Math.ceil(height / 8 / maxV);
  const blocks = sampling.reduce((n, [h, v]) => n + mcusPerLine * h * mcusPerColumn * v, 0);
  return { marker, width, height, blocks };
}

/** After a scan header: the entropy-coded data runs to the next marker that is not a stuffed
 * 0xFF00, a restart marker or a fill byte. Returns that marker's position (or the end). */
function skipEntropyData(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0xff) continue;
    const next = bytes[i + 1];
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) continue;
    return i;
  }
  return bytes.length;
}

/**
 * Walks every marker segment of the file, scans included; throws INVALID_PARAMS unless the file
 * has exactly one frame header and is within the image budget. A later frame header anywhere
 * (jpeg-js would act on it) is refused too.
 */
export function checkJpegBudget(bytes: Uint8Array): void {
  let frame: Frame | undefined;
  let pos = 2;
  let firstScanAt = -1;
  while (pos + 2 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw undecodable('JPEG', `no marker at byte ${pos}`);
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === EOI) break;
    if (STANDALONE.has(marker)) {
      pos += 2;
      continue;
    }
    if (pos + 4 > bytes.length) break;
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (length < 2 || pos + 2 + length > bytes.length) throw undecodable('JPEG', 'segment runs past the end');
    if (isSof(marker)) {
      if (frame) throw undecodable('JPEG', 'more than one frame header');
      frame = readFrame(bytes, pos + 2, length, marker);
    }
    pos += 2 + length;
    if (marker === SOS) {
      if (!frame) throw undecodable('JPEG', 'no frame header before the scan');
      if (firstScanAt < 0) firstScanAt = pos;
      pos = skipEntropyData(bytes, pos);
    }
  }
  if (!frame) throw undecodable('JPEG', 'no frame header');
  if (firstScanAt < 0) throw undecodable('JPEG', 'no scan');
  const scanStart = firstScanAt;
  const { width, height, blocks, marker } = frame;
  const needed = blocks * BYTES_PER_BLOCK + width * height * 4 + width * height;
  checkDecodeBytes('JPEG image', needed, `${width}x${height}`);
  // Sequential Huffman coding spends at least one bit on each block's DC and one on its AC (EOB).
  if (marker !== 0xc2 && (bytes.length - scanStart) * 8 < blocks * 2) {
    throw undecodable('JPEG', `${bytes.length} bytes cannot hold a ${width}x${height} image`);
  }
}
