/**
 * Dev and test helpers for the FVC2002 sets in ../shared (never copied into the project): TIFF
 * decoding with utif2 and a minimal reader of the SecuGen ISO/IEC 19794-2:2005 templates beside them.
 * (Swap for src/biometrics/image and protocols/biometrics/iso19794-2.ts once those exist.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import UTIF from 'utif2';
import type { GrayImage, Minutia } from '../../../protocols/biometrics/types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FVC_DIR = path.resolve(repoRoot, '../shared/datasets/fvc2002-b');
export const SETS = ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B'] as const;
export type FvcSet = (typeof SETS)[number];
/** Resolutions from SOURCE.md (DB4_B is "about 500"). */
export const SET_DPI: Record<FvcSet, number> = { DB1_B: 500, DB2_B: 569, DB3_B: 500, DB4_B: 500 };

export function datasetPresent(): boolean {
  return fs.existsSync(path.join(FVC_DIR, 'DB1_B', '101_1.tif'));
}

export function imageNames(set: FvcSet): string[] {
  return fs
    .readdirSync(path.join(FVC_DIR, set))
    .filter((f) => f.endsWith('.tif'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function readFvcImage(set: FvcSet, name: string): GrayImage {
  const buf = fs.readFileSync(path.join(FVC_DIR, set, `${name}.tif`));
  const ifd = UTIF.decode(buf)[0];
  UTIF.decodeImage(buf, ifd);
  const rgba = UTIF.toRGBA8(ifd);
  const pixels = new Uint8Array(ifd.width * ifd.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4];
  return { width: ifd.width, height: ifd.height, dpi: SET_DPI[set], pixels };
}

/**
 * The first finger view of an ISO 19794-2:2005 record, mapped onto the original image: the SecuGen
 * extractor saw every image stretched to 300×400, so x scales by width/300, y by height/400, and each
 * angle is corrected for the unequal stretch (a direction (cos, sin) becomes (cos·sx, sin·sy)).
 */
export function readIsoMinutiae(set: FvcSet, name: string, width: number, height: number): Minutia[] {
  const b = fs.readFileSync(path.join(FVC_DIR, set, `${name}.iso`));
  if (b.toString('latin1', 0, 4) !== 'FMR\0') throw new Error(`${name}.iso: not an ISO 19794-2 record`);
  const isoW = b.readUInt16BE(14);
  const isoH = b.readUInt16BE(16);
  const count = b[27];
  const sx = width / isoW;
  const sy = height / isoH;
  const out: Minutia[] = [];
  for (let k = 0; k < count; k++) {
    const o = 28 + 6 * k;
    const typeBits = b[o] >> 6;
    const x = (b.readUInt16BE(o) & 0x3fff) * sx;
    const y = (b.readUInt16BE(o + 2) & 0x3fff) * sy;
    const a = (b[o + 4] * 2 * Math.PI) / 256;
    let angle = Math.atan2(Math.sin(a) * sy, Math.cos(a) * sx);
    if (angle < 0) angle += 2 * Math.PI;
    out.push({
      x,
      y,
      angle,
      type: typeBits === 1 ? 'ending' : typeBits === 2 ? 'bifurcation' : 'other',
      quality: b[o + 5],
    });
  }
  return out;
}
