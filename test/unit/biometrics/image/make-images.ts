/** Small image files built in memory for the decoder tests (no fixtures on disk). */
import bmp from 'bmp-js';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A w x h grey ramp: value depends on x and y so that orientation mistakes show. */
export function ramp(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = (x * 7 + y * 13) & 0xff;
  return out;
}

/** PNG of any colour type from grey values (colour channels all equal, alpha as given). */
export function pngOf(
  grey: Uint8Array,
  w: number,
  h: number,
  colorType: 0 | 2 | 4 | 6,
  bitDepth: 8 | 16 = 8,
  alpha = 255,
) {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  const bps = bitDepth / 8;
  const data = Buffer.alloc(w * h * channels * bps);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < channels; c++) {
      const isAlpha = (colorType === 4 && c === 1) || (colorType === 6 && c === 3);
      const v = isAlpha ? alpha : grey[i];
      const at = (i * channels + c) * bps;
      if (bps === 1) data[at] = v;
      else data.writeUInt16BE(v * 257, at);
    }
  }
  return PNG.sync.write({ width: w, height: h, data } as PNG, {
    colorType,
    inputColorType: colorType,
    bitDepth,
    inputHasAlpha: colorType >= 4,
  });
}

/** Little-endian baseline TIFF, 8-bit BlackIsZero, one strip, with optional resolution tags. */
export function tiffOf(
  grey: Uint8Array,
  w: number,
  h: number,
  res?: { value: number; unit: 2 | 3 },
): Uint8Array {
  const entries: [number, number, number, number][] = [
    [256, 4, 1, w],
    [257, 4, 1, h],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, 0], // strip offset, patched below
    [277, 3, 1, 1],
    [278, 4, 1, h],
    [279, 4, 1, w * h],
  ];
  if (res) entries.push([282, 5, 1, 0], [283, 5, 1, 0], [296, 3, 1, res.unit]);
  const ifdSize = 2 + entries.length * 12 + 4;
  const rationalAt = 8 + ifdSize;
  const pixelsAt = rationalAt + 16;
  const out = new Uint8Array(pixelsAt + w * h);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, count, value], i) => {
    const p = 10 + i * 12;
    v.setUint16(p, tag, true);
    v.setUint16(p + 2, type, true);
    v.setUint32(p + 4, count, true);
    if (tag === 273) v.setUint32(p + 8, pixelsAt, true);
    else if (tag === 282 || tag === 283) v.setUint32(p + 8, rationalAt + (tag - 282) * 8, true);
    else if (type === 3) v.setUint16(p + 8, value, true);
    else v.setUint32(p + 8, value, true);
  });
  if (res) {
    for (const at of [rationalAt, rationalAt + 8]) {
      v.setUint32(at, Math.round(res.value * 100), true);
      v.setUint32(at + 4, 100, true);
    }
  }
  out.set(grey, pixelsAt);
  return out;
}

/** 24-bit BMP through bmp-js, with the horizontal and vertical pixels per metre patched in. */
export function bmpOf(grey: Uint8Array, w: number, h: number, ppm = 0): Uint8Array {
  const abgr = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) abgr.set([0, grey[i], grey[i], grey[i]], i * 4);
  const file = bmp.encode({ data: abgr, width: w, height: h }).data;
  file.writeUInt32LE(ppm, 38);
  file.writeUInt32LE(ppm, 42);
  return new Uint8Array(file);
}

/** JPEG (quality 95) through jpeg-js; `dpi` patches the JFIF density to dots per inch. */
export function jpegOf(grey: Uint8Array, w: number, h: number, dpi?: number): Uint8Array {
  const rgba = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([grey[i], grey[i], grey[i], 255], i * 4);
  const file = new Uint8Array(jpeg.encode({ data: rgba, width: w, height: h }, 95).data);
  if (dpi !== undefined) {
    file[13] = 1;
    file.set([dpi >> 8, dpi & 0xff, dpi >> 8, dpi & 0xff], 14);
  }
  return file;
}

export function pgmP5(grey: Uint8Array, w: number, h: number, maxval = 255): Uint8Array {
  const header = new TextEncoder().encode(`P5\n# made by the test\n${w} ${h}\n${maxval}\n`);
  const bps = maxval > 255 ? 2 : 1;
  const out = new Uint8Array(header.length + w * h * bps);
  out.set(header);
  for (let i = 0; i < w * h; i++) {
    const v = Math.round((grey[i] * maxval) / 255);
    if (bps === 1) out[header.length + i] = v;
    else out.set([v >> 8, v & 0xff], header.length + 2 * i);
  }
  return out;
}

export function pgmP2(grey: Uint8Array, w: number, h: number): Uint8Array {
  const rows: string[] = [];
  for (let y = 0; y < h; y++) rows.push(Array.from(grey.subarray(y * w, (y + 1) * w)).join(' '));
  return new TextEncoder().encode(`P2\n${w} ${h} # size\n255\n${rows.join('\n')}\n`);
}

/** 8-bit palette BMP written by hand per the format (bottom-up rows padded to 4 bytes, grey palette). */
export function bmp8Of(grey: Uint8Array, w: number, h: number, ppm: number): Uint8Array {
  const rowBytes = Math.ceil(w / 4) * 4;
  const pixelsAt = 14 + 40 + 256 * 4;
  const buf = Buffer.alloc(pixelsAt + rowBytes * h);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(pixelsAt, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22); // positive height: bottom row first
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(8, 28);
  buf.writeUInt32LE(rowBytes * h, 34);
  buf.writeUInt32LE(ppm, 38);
  buf.writeUInt32LE(ppm, 42);
  buf.writeUInt32LE(256, 46);
  for (let i = 0; i < 256; i++) buf.set([i, i, i, 0], 54 + i * 4);
  for (let y = 0; y < h; y++) buf.set(grey.subarray(y * w, (y + 1) * w), pixelsAt + (h - 1 - y) * rowBytes);
  return new Uint8Array(buf);
}

/** 16-bit BlackIsZero TIFF in either byte order, samples given as 16-bit values. */
export function tiff16Of(samples: number[], w: number, h: number, littleEndian: boolean): Uint8Array {
  const entries: [number, number, number][] = [
    [256, 3, w],
    [257, 3, h],
    [258, 3, 16],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 3, h],
    [279, 4, w * h * 2],
  ];
  const pixelsAt = 8 + 2 + entries.length * 12 + 4;
  const out = new Uint8Array(pixelsAt + w * h * 2);
  const v = new DataView(out.buffer);
  out.set(littleEndian ? [0x49, 0x49, 42, 0] : [0x4d, 0x4d, 0, 42]);
  v.setUint32(4, 8, littleEndian);
  v.setUint16(8, entries.length, littleEndian);
  entries.forEach(([tag, type, value], i) => {
    const p = 10 + i * 12;
    v.setUint16(p, tag, littleEndian);
    v.setUint16(p + 2, type, littleEndian);
    v.setUint32(p + 4, 1, littleEndian);
    const val = tag === 273 ? pixelsAt : value;
    if (type === 3) v.setUint16(p + 8, val, littleEndian);
    else v.setUint32(p + 8, val, littleEndian);
  });
  for (const [i, s] of samples.entries()) v.setUint16(pixelsAt + 2 * i, s, littleEndian);
  return out;
}
