// Quick look: extract one image and print a summary (dev only).
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import { type FvcSet, readFvcImage } from './dataset.ts';

const set = (process.argv[2] ?? 'DB1_B') as FvcSet;
const name = process.argv[3] ?? '101_1';
const img = readFvcImage(set, name);
const t0 = performance.now();
const r = extractMinutiae(img);
const t1 = performance.now();
console.log(
  set,
  name,
  `${img.width}x${img.height}`,
  'ms',
  (t1 - t0).toFixed(1),
  'count',
  r.minutiae.length,
  'q',
  r.imageQuality,
  'fg',
  r.foregroundRatio.toFixed(2),
  'end',
  r.minutiae.filter((m) => m.type === 'ending').length,
);
