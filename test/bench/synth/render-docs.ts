/**
 * Regenerates the pictures of docs/synthetic-fingerprints.md (all synthetic; no FVC image is ever
 * written into the project):
 *   docs/images/synthetic-classes.png      one impression of each class
 *   docs/images/synthetic-impressions.png  four impressions of one finger
 *   docs/images/synthetic-master.png       orientation field, period map, ridge pattern of one master
 *   docs/images/synthetic-quality.png      'good' and 'poor' impressions of one finger
 * Usage: npx tsx test/bench/synth/render-docs.ts [outDir]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import {
  FINGER_CLASSES,
  type MasterFinger,
  makeMasterFinger,
  syntheticFinger,
} from '../../../simulator/fingerprints/index.ts';
import { REPO_ROOT } from '../../shared-data.ts';
import { montage, writePngGray } from './image-io.ts';

const outDir = process.argv[2] ?? path.join(REPO_ROOT, 'docs/images');
fs.mkdirSync(outDir, { recursive: true });

// fixed seeds so the pictures only change when the model does
const classSeeds = [3, 11, 21, 27, 5];
const classes = FINGER_CLASSES.map((c, i) =>
  syntheticFinger(classSeeds[i], { fingerClass: c }).impression(1),
);
writePngGray(path.join(outDir, 'synthetic-classes.png'), montage(classes, 5));

const finger = syntheticFinger(27);
writePngGray(
  path.join(outDir, 'synthetic-impressions.png'),
  montage(
    [1, 2, 3, 4].map((i) => finger.impression(i)),
    4,
  ),
);

const quality = syntheticFinger(21);
writePngGray(
  path.join(outDir, 'synthetic-quality.png'),
  montage(
    [
      quality.impression(1),
      quality.impression(2),
      quality.impression(1, { quality: 'poor' }),
      quality.impression(2, { quality: 'poor' }),
    ],
    4,
  ),
);

const m = makeMasterFinger(11, { fingerClass: 'left-loop' });
writePngGray(
  path.join(outDir, 'synthetic-master.png'),
  montage([orientationPicture(m), periodPicture(m), ridgePicture(m)], 3),
);

console.log(`wrote 4 PNGs to ${outDir}`);

function ridgePicture(m: MasterFinger): GrayImage {
  const px = new Uint8Array(m.width * m.height).fill(255);
  for (let i = 0; i < px.length; i++) if (m.mask[i]) px[i] = Math.round(128 - 127 * m.ridges[i]);
  return { width: m.width, height: m.height, dpi: 500, pixels: px };
}

/** Short line segments along the ridge direction every 12 px, singular points as squares. */
function orientationPicture(m: MasterFinger): GrayImage {
  const px = new Uint8Array(m.width * m.height).fill(255);
  for (let i = 0; i < px.length; i++) if (m.mask[i]) px[i] = 235;
  for (let y = 6; y < m.height; y += 12) {
    for (let x = 6; x < m.width; x += 12) {
      if (!m.mask[y * m.width + x]) continue;
      const t = m.orientation[y * m.width + x];
      for (let s = -5; s <= 5; s += 0.5) {
        const xx = Math.round(x + s * Math.cos(t));
        const yy = Math.round(y - s * Math.sin(t));
        if (xx >= 0 && yy >= 0 && xx < m.width && yy < m.height) px[yy * m.width + xx] = 40;
      }
    }
  }
  const mark = (p: { x: number; y: number }, v: number) => {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const xx = Math.round(p.x) + dx;
        const yy = Math.round(p.y) + dy;
        if (xx >= 0 && yy >= 0 && xx < m.width && yy < m.height) px[yy * m.width + xx] = v;
      }
    }
  };
  for (const c of m.singular.cores) mark(c, 0);
  for (const d of m.singular.deltas) mark(d, 140);
  return { width: m.width, height: m.height, dpi: 500, pixels: px };
}

/** Ridge period as grey: dark = short period (dense ridges), light = long period. */
function periodPicture(m: MasterFinger): GrayImage {
  const px = new Uint8Array(m.width * m.height).fill(255);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < px.length; i++) {
    if (!m.mask[i]) continue;
    lo = Math.min(lo, m.period[i]);
    hi = Math.max(hi, m.period[i]);
  }
  for (let i = 0; i < px.length; i++) {
    if (m.mask[i]) px[i] = Math.round(30 + (200 * (m.period[i] - lo)) / Math.max(1e-6, hi - lo));
  }
  return { width: m.width, height: m.height, dpi: 500, pixels: px };
}
