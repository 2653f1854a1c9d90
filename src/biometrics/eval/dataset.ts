import path from 'node:path';

/**
 * Facts about the FVC2002 sets that their files do not carry: the TIFFs have no resolution tags.
 * Sizes and resolutions from datasets/fvc2002-b/SOURCE.md; DB2 is the only set not at 500 dpi.
 */
const FVC2002: Record<string, { width: number; height: number; dpi: number }> = {
  DB1: { width: 388, height: 374, dpi: 500 },
  DB2: { width: 296, height: 560, dpi: 569 },
  DB3: { width: 300, height: 300, dpi: 500 },
  DB4: { width: 288, height: 384, dpi: 500 },
};

/** Known image geometry of an FVC2002 set from its folder name (DB1_B, DB2_A, ...); 500 dpi otherwise. */
export function fvcSetImageGeometry(dir: string): { width: number; height: number; dpi: number } {
  const key = /DB([1-4])/i.exec(path.basename(dir));
  return key ? FVC2002[`DB${key[1]}`] : { width: 0, height: 0, dpi: 500 };
}

/** Resolution to assume for a dataset folder's images when they do not say. */
export function fvcSetDpi(dir: string): number {
  return fvcSetImageGeometry(dir).dpi;
}

/**
 * Resolution to assume for one untagged image of a folder: the FVC2002 set's, but only when the
 * image has that set's size. Other competitions reuse the folder names (FVC2004's DB2_B is 328x364
 * at 500 dpi, not FVC2002 DB2's 296x560 at 569), so a name alone would mis-scale them by 14 %.
 */
export function untaggedImageDpi(dir: string, width: number, height: number): number {
  const known = fvcSetImageGeometry(dir);
  return known.width === width && known.height === height ? known.dpi : 500;
}
