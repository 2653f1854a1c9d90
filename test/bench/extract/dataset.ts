/**
 * Dev helpers for the FVC2002 sets in ../shared (never copied into the project), on the project's
 * own decoders: images through src/biometrics/image, the SecuGen templates through the ISO/IEC
 * 19794-2 codec, put back on their image by the eval's geometry (they were made from 300x400 copies).
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { GrayImage, Minutia, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { fvcSetDpi } from '../../../src/biometrics/eval/dataset.ts';
import { isoTemplateOnImage } from '../../../src/biometrics/eval/template-geometry.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { extractLiveViews } from '../../../src/biometrics/extract/live-views.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { compare } from '../../../src/biometrics/match/index.ts';
import { bestOfViews } from '../../../src/biometrics/verify-policy/index.ts';
import { FVC_DIR, fvcPresent } from '../../shared-data.ts';

export { FVC_DIR };
export const SETS = ['DB1_B', 'DB2_B', 'DB3_B', 'DB4_B'] as const;
export type FvcSet = (typeof SETS)[number];

export function datasetPresent(): boolean {
  return fvcPresent();
}

export function imageNames(set: FvcSet): string[] {
  return fs
    .readdirSync(path.join(FVC_DIR, set))
    .filter((f) => f.endsWith('.tif'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function readFvcImage(set: FvcSet, name: string): GrayImage {
  const dir = path.join(FVC_DIR, set);
  return decodeImage(fs.readFileSync(path.join(dir, `${name}.tif`)), { defaultDpi: fvcSetDpi(dir) });
}

/** The commercial template (`<set>/<name>.iso`) put back on its image, of the geometry given. */
export function readIsoTemplate(
  set: FvcSet,
  name: string,
  image: { width: number; height: number; dpi: number },
): MinutiaeSet {
  const record = decodeIso19794_2(fs.readFileSync(path.join(FVC_DIR, set, `${name}.iso`)));
  return isoTemplateOnImage(record, image);
}

/** The same, on the geometry of our extraction of the same image (the cached sets carry it). */
export function readIsoTemplateLike(set: FvcSet, name: string, ours: MinutiaeSet): MinutiaeSet {
  return readIsoTemplate(set, name, { width: ours.width, height: ours.height, dpi: ours.dpiX });
}

/** The commercial template's minutiae on the original image (`<set>/<name>.iso`). */
export function readIsoMinutiae(set: FvcSet, name: string, width: number, height: number): Minutia[] {
  return readIsoTemplate(set, name, { width, height, dpi: fvcSetDpi(path.join(FVC_DIR, set)) }).minutiae;
}

/**
 * Extractions `extract()` makes, kept as `cacheDir/<name>.json` when a cache folder is given (outside
 * the repository; delete it after changing the extractor), so a matcher change is measured in seconds.
 */
export function cachedExtraction<T = MinutiaeSet>(
  cacheDir: string | undefined,
  name: string,
  extract: () => Map<string, T>,
): Map<string, T> {
  const file = cacheDir ? path.join(cacheDir, `${name}.json`) : undefined;
  if (file && fs.existsSync(file)) return new Map(JSON.parse(fs.readFileSync(file, 'utf8')));
  const out = extract();
  if (cacheDir && file) {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify([...out]));
  }
  return out;
}

/** Our extraction of every image of a set (cachedExtraction, as `<set>.json`). */
export function oursOfSet(set: FvcSet, cacheDir: string | undefined): Map<string, MinutiaeSet> {
  return cachedExtraction(
    cacheDir,
    set,
    () => new Map(imageNames(set).map((n) => [n, extractMinutiae(readFvcImage(set, n)) as MinutiaeSet])),
  );
}

/** Every live view of every image of a set (extract/live-views.ts), cached as `<set>.views.json`. */
export function liveViewsOfSet(set: FvcSet, cacheDir: string | undefined): Map<string, MinutiaeSet[]> {
  return cachedExtraction(
    cacheDir,
    `${set}.views`,
    () => new Map(imageNames(set).map((n) => [n, extractLiveViews(readFvcImage(set, n)) as MinutiaeSet[]])),
  );
}

/** A live capture's score against one card template as finger.verify takes it: its best view's. */
export function compareLive(views: readonly MinutiaeSet[], candidate: MinutiaeSet): number {
  return bestOfViews(views.map((view) => [compare(view, candidate)]))[0];
}
