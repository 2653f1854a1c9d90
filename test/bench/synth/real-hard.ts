/**
 * Writes the "real hard" sets: REAL FVC2002 prints (DB1_B..DB3_B, real sensors; DB4_B is synthetic
 * and left out) put through FVC2004-like touch conditions (simulator/fingerprints/real-hard.ts), in
 * the FVC folder layout, a closer stand-in for FVC2004 DB1/DB2 than the synthetic hard mix:
 *
 *   OUT/distort/   strong plastic distortion, rotation up to +/-35 deg, displacement (like DB1)
 *   OUT/drywet/    a third dry, a third wet, a third normal, mildly moved (like DB2)
 *   OUT/original/  the same 30 fingers unchanged (the control)
 *
 * Fingers are renumbered 101..130 (DB1_B 101-110 -> 101-110, DB2_B -> 111-120, DB3_B -> 121-130;
 * OUT/map.json). Images keep their source size and resolution; every TIFF carries its dpi
 * (FVC2002 DB2 is 569 dpi) since the folders mix sensors. Each folder gets conditions.json (what
 * each touch drew), readable by test/bench/synth/hard-mix-eer.ts. Deterministic from the seed.
 *
 *   npx tsx test/bench/synth/real-hard.ts --out /tmp/real-hard [--seed 1] [--preview FILE.png]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { type RealHardSet, realHardTouch } from '../../../simulator/fingerprints/real-hard.ts';
import { fvcSetImageGeometry } from '../../../src/biometrics/eval/dataset.ts';
import { SHARED_DIR } from '../../shared-data.ts';
import { numOpt, opt } from '../args.ts';
import { encodeTiffGray, montage, readTiffGray, writePngGray } from './image-io.ts';
import { outDirOutsideRepo } from './out-args.ts';

const out = outDirOutsideRepo('real-hard.ts --out DIR [--seed 1] [--preview FILE.png]', '/tmp/real-hard');
const seed = numOpt('seed', 1);
const preview = opt('preview');
const sourceRoot = path.join(SHARED_DIR, 'datasets/fvc2002-b');
if (!fs.existsSync(sourceRoot)) {
  console.error(`FVC2002 B sets not found at ${sourceRoot}`);
  process.exit(2);
}
const SOURCES = ['DB1_B', 'DB2_B', 'DB3_B'];
const SETS: RealHardSet[] = ['distort', 'drywet'];
const IMPRESSIONS = 8;

const t0 = performance.now();
for (const d of ['original', ...SETS]) fs.mkdirSync(path.join(out, d), { recursive: true });
const map: Record<string, string> = {};
const conditions: Record<string, Record<string, Record<string, { condition: string; drawn: object }>>> = {
  distort: {},
  drywet: {},
};
const tally = new Map<string, number>();
const shown: GrayImage[] = [];
let next = 101;
for (const db of SOURCES) {
  const dpi = fvcSetImageGeometry(db).dpi;
  for (let srcFinger = 101; srcFinger <= 110; srcFinger++, next++) {
    const finger = next;
    map[finger] = `${db}/${srcFinger}`;
    for (const set of SETS) conditions[set][finger] = {};
    for (let i = 1; i <= IMPRESSIONS; i++) {
      const source = readTiffGray(path.join(sourceRoot, db, `${srcFinger}_${i}.tif`), dpi);
      const name = `${finger}_${i}.tif`;
      fs.writeFileSync(path.join(out, 'original', name), encodeTiffGray(source, { withDpi: true }));
      const row: GrayImage[] = [source];
      for (const set of SETS) {
        const touch = realHardTouch(set, source, seed, finger, i);
        fs.writeFileSync(path.join(out, set, name), encodeTiffGray(touch.image, { withDpi: true }));
        conditions[set][finger][i] = { condition: touch.condition, drawn: touch.drawn };
        const key = `${set}:${touch.condition}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        row.push(touch.image);
      }
      // preview: the first finger of each source set, two impressions, rows of original | distort | drywet
      if (preview && srcFinger === 101 && i <= 2) shown.push(...row);
    }
    process.stderr.write(`  finger ${finger} (${db}/${srcFinger})\r`);
  }
}
fs.writeFileSync(path.join(out, 'map.json'), `${JSON.stringify(map, null, 1)}\n`);
for (const set of SETS) {
  // the shape hard-mix-eer.ts reads: per finger, its marks (none here) and per touch its conditions
  const fingersByIndex = Object.fromEntries(
    Object.entries(conditions[set]).map(([f, touches]) => [
      f,
      {
        marks: [],
        touches: Object.fromEntries(Object.entries(touches).map(([i, t]) => [i, [t.condition]])),
        drawn: touches,
      },
    ]),
  );
  fs.writeFileSync(
    path.join(out, set, 'conditions.json'),
    `${JSON.stringify({ seed, set, fingers: 30, impressions: IMPRESSIONS, fingersByIndex }, null, 1)}\n`,
  );
}
if (preview) writePngGray(preview, montage(shown, 3));
console.log(
  `real hard seed ${seed}: 30 fingers x ${IMPRESSIONS} impressions in ${out}/{original,${SETS.join(',')}} ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
console.log(`  touches: ${[...tally].map(([c, n]) => `${c} ${n}`).join(', ')}`);
