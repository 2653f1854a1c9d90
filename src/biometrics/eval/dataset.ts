import path from 'node:path';

/**
 * The image sizes and resolutions of the FVC competitions' sets (FVC2000, 2002, 2004, 2006, from the
 * competition reports; their TIFF and BMP files carry no resolution), by DB number. Within a DB
 * number a size names its set (DB4's 288x384 is in three competitions, all at about 500 dpi). The
 * sets not at 500 dpi: FVC2002 DB2 and FVC2006 DB2 (569, optical), FVC2006 DB1 (250, a small
 * electric-field sensor), FVC2004 DB3 (512, a thermal sweep).
 */
const FVC_SETS: Record<string, { competition: string; width: number; height: number; dpi: number }[]> = {
  DB1: [
    { competition: 'FVC2000', width: 300, height: 300, dpi: 500 },
    { competition: 'FVC2002', width: 388, height: 374, dpi: 500 },
    { competition: 'FVC2004', width: 640, height: 480, dpi: 500 },
    { competition: 'FVC2006', width: 96, height: 96, dpi: 250 },
  ],
  DB2: [
    { competition: 'FVC2000', width: 256, height: 364, dpi: 500 },
    { competition: 'FVC2002', width: 296, height: 560, dpi: 569 },
    { competition: 'FVC2004', width: 328, height: 364, dpi: 500 },
    { competition: 'FVC2006', width: 400, height: 560, dpi: 569 },
  ],
  DB3: [
    { competition: 'FVC2000', width: 448, height: 478, dpi: 500 },
    { competition: 'FVC2002', width: 300, height: 300, dpi: 500 },
    { competition: 'FVC2004', width: 300, height: 480, dpi: 512 },
    { competition: 'FVC2006', width: 400, height: 500, dpi: 500 },
  ],
  // synthetic (SFinGe) in every competition: about 500 dpi
  DB4: [
    { competition: 'FVC2000', width: 240, height: 320, dpi: 500 },
    { competition: 'FVC2002', width: 288, height: 384, dpi: 500 },
    { competition: 'FVC2004', width: 288, height: 384, dpi: 500 },
    { competition: 'FVC2006', width: 288, height: 384, dpi: 500 },
  ],
};

/** The FVC sets of the DB number a folder is named after (DB1_B, DB2_A, ...); none for another name. */
function setsNamedBy(dir: string) {
  const key = /DB([1-4])/i.exec(path.basename(dir));
  return key ? FVC_SETS[`DB${key[1]}`] : [];
}

/**
 * The geometry of the FVC2002 set a folder is named after (the sets in ../shared); size 0 and
 * 500 dpi for any other name.
 */
export function fvcSetImageGeometry(dir: string): { width: number; height: number; dpi: number } {
  const set = setsNamedBy(dir).find((s) => s.competition === 'FVC2002');
  return set ? { width: set.width, height: set.height, dpi: set.dpi } : { width: 0, height: 0, dpi: 500 };
}

/** The resolution of the FVC2002 set a folder is named after (fvcSetImageGeometry). */
export function fvcSetDpi(dir: string): number {
  return fvcSetImageGeometry(dir).dpi;
}

/**
 * Resolution to assume for one untagged image of a folder: that of the FVC set with the folder's DB
 * number AND the image's size, else 500. The competitions reuse the folder names (FVC2004's DB2_B is
 * 328x364 at 500 dpi, FVC2002's 296x560 at 569), so a name alone would mis-scale them by 14 %.
 */
export function untaggedImageDpi(dir: string, width: number, height: number): number {
  return setsNamedBy(dir).find((s) => s.width === width && s.height === height)?.dpi ?? 500;
}
