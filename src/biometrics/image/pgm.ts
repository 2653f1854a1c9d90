/**
 * PGM (netpbm grey map), binary P5 and plain-text P2 -> GrayImage. NIST and FVC tools emit PGM and
 * no maintained npm package parses it, while the format is a short text header and raw samples, so
 * a small parser here is cheaper and safer than an unmaintained dependency.
 * PGM carries no resolution: the caller's default applies. Samples above 255 (maxval up to 65535,
 * two bytes big-endian in P5) are scaled to 8 bits.
 */
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { checkSize, type DefaultDpi, grayImage, undecodable } from './grey.ts';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
const HASH = 0x23;

/** Reads whitespace-separated decimal tokens, skipping '#' comments to the end of the line. */
class TokenReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  next(): number {
    const b = this.bytes;
    while (this.pos < b.length) {
      if (WHITESPACE.has(b[this.pos])) this.pos++;
      else if (b[this.pos] === HASH) while (this.pos < b.length && b[this.pos] !== 0x0a) this.pos++;
      else break;
    }
    const start = this.pos;
    let value = 0;
    while (this.pos < b.length && b[this.pos] >= 0x30 && b[this.pos] <= 0x39 && this.pos - start < 6) {
      value = value * 10 + (b[this.pos] - 0x30);
      this.pos++;
    }
    if (this.pos === start || (this.pos < b.length && !WHITESPACE.has(b[this.pos]) && b[this.pos] !== HASH)) {
      throw undecodable('PGM', `bad number at byte ${start}`);
    }
    return value;
  }
}

export function decodePgm(bytes: Uint8Array, defaultDpi: DefaultDpi): GrayImage {
  const magic = String.fromCharCode(bytes[0], bytes[1]);
  if (magic !== 'P5' && magic !== 'P2') throw undecodable('PGM', 'not P5 or P2');
  const reader = new TokenReader(bytes);
  reader.pos = 2;
  const width = reader.next();
  const height = reader.next();
  const maxval = reader.next();
  checkSize('PGM', width, height);
  if (maxval < 1 || maxval > 65535) throw undecodable('PGM', `maxval ${maxval}`);
  const count = width * height;
  const pixels = new Uint8Array(count);
  const scale = (v: number): number => {
    if (v > maxval) throw undecodable('PGM', `a sample is above maxval ${maxval}`);
    return maxval === 255 ? v : Math.round((v * 255) / maxval);
  };
  if (magic === 'P2') {
    // one digit and one separator per sample at least: a short file cannot claim a large image
    if (bytes.length - reader.pos < 2 * count - 1) throw undecodable('PGM', 'pixel data is short');
    for (let i = 0; i < count; i++) pixels[i] = scale(reader.next());
  } else {
    // Exactly one whitespace byte separates maxval from the samples.
    const start = reader.pos + 1;
    const bytesPerSample = maxval < 256 ? 1 : 2;
    if (bytes.length < start + count * bytesPerSample) throw undecodable('PGM', 'pixel data is short');
    for (let i = 0; i < count; i++) {
      const p = start + i * bytesPerSample;
      pixels[i] = scale(bytesPerSample === 1 ? bytes[p] : (bytes[p] << 8) | bytes[p + 1]);
    }
  }
  return grayImage(width, height, defaultDpi(width, height), pixels);
}
