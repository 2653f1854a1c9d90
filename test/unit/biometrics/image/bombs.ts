/**
 * Decompression and header bombs, built in memory (issue 11): small files whose headers or
 * compressed data claim far more memory than a fingerprint image needs.
 */
import { constants, deflateRawSync, deflateSync } from 'node:zlib';

const MB = 2 ** 20;

/**
 * A zlib stream of `mb` MB of zeros, built in milliseconds: one 1 MB block compressed with a full
 * flush (which resets the window, so every copy of it decodes the same), repeated, then a final
 * empty block and the Adler-32 of the zeros (a = 1, b = length mod 65521).
 */
export function zerosZlib(mb: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0));
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((mb * MB) % 65521) * 65536 + 1);
  return Buffer.concat([Buffer.of(0x78, 0xda), ...new Array(mb).fill(block), end, adler]);
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlace: 0 | 1) {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d.set([bitDepth, colorType, 0, 0, interlace], 8);
  return pngChunk('IHDR', d);
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function pngFile(chunks: Uint8Array[]): Uint8Array {
  return Buffer.concat([PNG_SIGNATURE, ...chunks, pngChunk('IEND', new Uint8Array())]);
}

/** zeros that inflate to `inflated` bytes (deflate reaches ~1000:1 on zeros) */
export function idatOfZeros(inflated: number): Uint8Array {
  return pngChunk('IDAT', deflateSync(Buffer.alloc(inflated), { level: 9 }));
}

/** an IDAT of `mb` MB of zeros */
function idatOfZerosMb(mb: number): Uint8Array {
  return pngChunk('IDAT', zerosZlib(mb));
}

/**
 * Interlaced, declared 64x64 but its IDAT inflates to `inflateMb` MB: pngjs inflates interlaced
 * data with no output limit (the 1 MB file inflating to 2.2 GB).
 */
export function interlacedPngBomb(inflateMb = 1024): Uint8Array {
  return pngFile([ihdr(64, 64, 8, 0, 1), idatOfZerosMb(inflateMb)]);
}

/** a first IHDR inside the limit, a second one claiming 16000x16000 */
export function doubleIhdrPng(): Uint8Array {
  return pngFile([ihdr(64, 64, 8, 0, 0), ihdr(16000, 16000, 8, 6, 0), idatOfZeros(64 * 65)]);
}

/** a baseline greyscale JPEG header claiming width x height with almost no scan data */
export function tinyJpegClaiming(width: number, height: number, sof = 0xc0, components = 3): Uint8Array {
  const parts: number[] = [0xff, 0xd8];
  // DQT: one 8-bit table of ones
  parts.push(0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array(64).fill(1));
  // SOF: precision 8, size, components with 1x1 sampling, table 0
  const sofLen = 8 + components * 3;
  parts.push(0xff, sof, sofLen >> 8, sofLen & 0xff, 8, height >> 8, height & 0xff, width >> 8, width & 0xff);
  parts.push(components);
  for (let c = 1; c <= components; c++) parts.push(c, 0x11, 0);
  // DHT: DC table 0 and AC table 0 with a single 1-bit code for symbol 0
  parts.push(0xff, 0xc4, 0x00, 0x14, 0x00, 1, ...new Array(15).fill(0), 0x00);
  parts.push(0xff, 0xc4, 0x00, 0x14, 0x10, 1, ...new Array(15).fill(0), 0x00);
  // SOS over every component, then a few bytes of scan data and EOI
  const sosLen = 6 + components * 2;
  parts.push(0xff, 0xda, sosLen >> 8, sosLen & 0xff, components);
  for (let c = 1; c <= components; c++) parts.push(c, 0x00);
  parts.push(0, 63, 0);
  parts.push(...new Array(300).fill(0), 0xff, 0xd9);
  return Uint8Array.from(parts);
}

/** Little-endian TIFF, one Deflate strip of zeros that inflates to `inflateMb` MB, declared 64x64 */
export function deflateTiffBomb(inflateMb = 1024, width = 64, height = 64): Uint8Array {
  const strip = zerosZlib(inflateMb);
  return tiffFile(width, height, 8, strip, [[278, 4, 1, height]]);
}

/** Little-endian TIFF with the given compression and one strip */
export function tiffFile(
  width: number,
  height: number,
  compression: number,
  strip: Uint8Array,
  extra: [number, number, number, number][] = [],
): Uint8Array {
  const entries: [number, number, number, number][] = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 1, 8],
    [259, 3, 1, compression],
    [262, 3, 1, 1],
    [273, 4, 1, 0],
    [277, 3, 1, 1],
    [279, 4, 1, strip.length],
    ...extra,
  ].sort((a, b) => a[0] - b[0]) as [number, number, number, number][];
  const ifdAt = 8;
  const dataAt = ifdAt + 2 + entries.length * 12 + 4;
  const out = Buffer.alloc(dataAt + strip.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(ifdAt, 4);
  out.writeUInt16LE(entries.length, ifdAt);
  entries.forEach(([tag, type, count, value], i) => {
    const at = ifdAt + 2 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(count, at + 4);
    const v = tag === 273 ? dataAt : value;
    if (type === 3) out.writeUInt16LE(v, at + 8);
    else out.writeUInt32LE(v, at + 8);
  });
  out.writeUInt32LE(0, ifdAt + 2 + entries.length * 12);
  out.set(strip, dataAt);
  return out;
}
