/**
 * Dev-script helpers for looking at fingerprints: TIFF in (FVC sets), PNG out, and side-by-side montages.
 * Only the dev scripts under test/bench/synth use this; the generator itself never touches files.
 */
import fs from 'node:fs';
import { PNG } from 'pngjs';
import UTIF from 'utif2';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';

/** Decodes an 8-bit greyscale TIFF (as in FVC2002) into a GrayImage; dpi is whatever the caller says. */
export function readTiffGray(file: string, dpi = 500): GrayImage {
  const buf = fs.readFileSync(file);
  const ifd = UTIF.decode(buf)[0];
  UTIF.decodeImage(buf, ifd);
  const rgba = UTIF.toRGBA8(ifd);
  const pixels = new Uint8Array(ifd.width * ifd.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4];
  return { width: ifd.width, height: ifd.height, dpi, pixels };
}

export function encodePngGray(img: GrayImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0 });
  const data = Buffer.alloc(img.width * img.height * 4);
  for (let i = 0; i < img.pixels.length; i++) {
    const v = img.pixels[i];
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  png.data = data;
  return PNG.sync.write(png, { colorType: 0 });
}

export function writePngGray(file: string, img: GrayImage): void {
  fs.writeFileSync(file, encodePngGray(img));
}

/** Lays images out in rows of `perRow`, top-aligned, with a white gap between them. */
export function montage(images: GrayImage[], perRow: number, gap = 8): GrayImage {
  const rows: GrayImage[][] = [];
  for (let i = 0; i < images.length; i += perRow) rows.push(images.slice(i, i + perRow));
  const rowHeights = rows.map((r) => Math.max(...r.map((im) => im.height)));
  const width = Math.max(...rows.map((r) => r.reduce((s, im) => s + im.width, 0) + gap * (r.length - 1)));
  const height = rowHeights.reduce((s, h) => s + h, 0) + gap * (rows.length - 1);
  const pixels = new Uint8Array(width * height).fill(255);
  let y0 = 0;
  rows.forEach((row, r) => {
    let x0 = 0;
    for (const im of row) {
      for (let y = 0; y < im.height; y++) {
        pixels.set(im.pixels.subarray(y * im.width, (y + 1) * im.width), (y0 + y) * width + x0);
      }
      x0 += im.width + gap;
    }
    y0 += rowHeights[r] + gap;
  });
  return { width, height, dpi: images[0]?.dpi ?? 500, pixels };
}

/**
 * Encodes an 8-bit greyscale, uncompressed, single-strip TIFF (the FVC sets' layout). With
 * `withDpi`, also XResolution/YResolution in dots per inch (FVC's own files carry none, and readers
 * then assume 500 dpi: needed for a folder that mixes sensors, e.g. FVC2002 DB2's 569 dpi).
 */
export function encodeTiffGray(img: GrayImage, opts: { withDpi?: boolean } = {}): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 3, img.width], // ImageWidth
    [257, 3, img.height], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // PhotometricInterpretation: black is zero
    [273, 4, 0], // StripOffsets (patched below)
    [277, 3, 1], // SamplesPerPixel
    [278, 3, img.height], // RowsPerStrip
    [279, 4, img.pixels.length], // StripByteCounts
  ];
  const RATIONAL = 5;
  if (opts.withDpi) {
    entries.push([282, RATIONAL, 0], [283, RATIONAL, 0], [296, 3, 2]); // X/YResolution (patched), unit inch
  }
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const rationals = entries.filter((e) => e[1] === RATIONAL).length;
  const rationalOffset = ifdOffset + ifdSize;
  const dataOffset = rationalOffset + 8 * rationals;
  entries[5][2] = dataOffset;
  const buf = Buffer.alloc(dataOffset + img.pixels.length);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(ifdOffset, 4);
  buf.writeUInt16LE(entries.length, ifdOffset);
  let nextRational = rationalOffset;
  entries.forEach(([tag, type, value], k) => {
    const o = ifdOffset + 2 + k * 12;
    buf.writeUInt16LE(tag, o);
    buf.writeUInt16LE(type, o + 2);
    buf.writeUInt32LE(1, o + 4);
    if (type === RATIONAL) {
      // dpi as a fraction with denominator 100 (569 and 500 are exact)
      buf.writeUInt32LE(Math.round(img.dpi * 100), nextRational);
      buf.writeUInt32LE(100, nextRational + 4);
      buf.writeUInt32LE(nextRational, o + 8);
      nextRational += 8;
    } else if (type === 3) buf.writeUInt16LE(value, o + 8);
    else buf.writeUInt32LE(value, o + 8);
  });
  buf.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12);
  buf.set(img.pixels, dataOffset);
  return buf;
}
