/**
 * Dev script: a side-by-side PNG of FVC2002 DB4_B impressions (top row, read from ../shared, never
 * copied into the project) and synthetic impressions of the same size (bottom row), to judge the
 * generator by eye. The output path must be outside the tracked tree (e.g. /tmp/compare.png).
 *
 *   npx tsx test/bench/synth/compare-with-fvc.ts /tmp/compare.png [--fingers 101,103,104,106] [--seed 1]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { syntheticFinger } from '../../../simulator/fingerprints/index.ts';
import { FVC_DIR, REPO_ROOT } from '../../shared-data.ts';
import { numOpt, opt } from '../args.ts';
import { montage, readTiffGray, writePngGray } from './image-io.ts';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--') && !/^[\d,]+$/.test(a));
if (!out) {
  console.error('usage: compare-with-fvc.ts <output.png> [--fingers 101,103,...] [--seed N]');
  process.exit(2);
}
if (path.resolve(out).startsWith(`${REPO_ROOT}${path.sep}`)) {
  console.error('write the comparison outside the repository: it contains FVC images, which must not ship');
  process.exit(2);
}
const fingers = (opt('fingers') ?? '101,103,104,106').split(',');
const seed = numOpt('seed', 1);

const dir = path.join(FVC_DIR, 'DB4_B');
if (!existsSync(dir)) {
  console.error(`FVC2002 DB4_B not found at ${dir}`);
  process.exit(1);
}
const real = fingers.map((f) => readTiffGray(path.join(dir, `${f}_1.tif`)));
const synth = fingers.map((_, i) =>
  syntheticFinger(seed + i).impression(1, { width: real[i].width, height: real[i].height }),
);
writePngGray(out, montage([...real, ...synth], fingers.length));
console.log(
  `wrote ${out}: top row DB4_B ${fingers.map((f) => `${f}_1`).join(' ')}, bottom row synthetic seeds ${seed}..${seed + fingers.length - 1}`,
);
