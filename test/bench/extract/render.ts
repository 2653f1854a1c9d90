/**
 * Dev script: draws one image's extraction for eyeballing: left, the image with the finger mask
 * shaded, our minutiae in red and the SecuGen template's in green (short stroke = direction);
 * right, the pruned skeleton. Usage: npx tsx test/bench/extract/render.ts DB1_B 101_1 /tmp/out.png
 */
import fs from 'node:fs';
import { PNG } from 'pngjs';
import type { Enhanced } from '../../../src/biometrics/extract/enhance.ts';
import type { ExtractionStage } from '../../../src/biometrics/extract/index.ts';
import { extractMinutiae } from '../../../src/biometrics/extract/index.ts';
import type { OrientationField } from '../../../src/biometrics/extract/orientation.ts';
import { type FvcSet, readFvcImage, readIsoMinutiae } from './dataset.ts';

const set = (process.argv[2] ?? 'DB1_B') as FvcSet;
const name = process.argv[3] ?? '101_1';
const out = process.argv[4] ?? `/tmp/extract-${set}-${name}.png`;
const img = readFvcImage(set, name);
const snaps = new Map<ExtractionStage, unknown>();
const result = extractMinutiae(img, {
  debug: (stage, snap) =>
    snaps.set(stage, stage === 'pruned' || stage === 'binarised' ? (snap as Uint8Array).slice() : snap),
});
const field = snaps.get('orientation') as OrientationField;
const mask = snaps.get('mask') as Uint8Array;
const enhanced = snaps.get('enhanced') as Enhanced;
const skel = snaps.get('pruned') as Uint8Array;
const work = snaps.get('resampled') as { width: number; height: number; pixels: Uint8Array };
const W = work.width;
const H = work.height;
const png = new PNG({ width: W * 2, height: H });
const put = (x: number, y: number, r: number, g: number, b: number) => {
  x = Math.round(x);
  y = Math.round(y);
  if (x < 0 || y < 0 || x >= W * 2 || y >= H) return;
  const o = (y * W * 2 + x) * 4;
  png.data[o] = r;
  png.data[o + 1] = g;
  png.data[o + 2] = b;
  png.data[o + 3] = 255;
};
for (let y = 0; y < H; y++) {
  for (let x = 0; x < W; x++) {
    const v = work.pixels[y * W + x];
    const inMask = mask[Math.floor(y / field.blockSize) * field.cols + Math.floor(x / field.blockSize)];
    put(x, y, inMask ? v : v * 0.6, inMask ? v : v * 0.6, inMask ? v : v * 0.8 + 40);
    const s = skel[(y + enhanced.layout.pad) * enhanced.layout.stride + x + enhanced.layout.pad];
    put(W + x, y, s ? 0 : 255, s ? 0 : 255, s ? 0 : 255);
  }
}
const sx = W / img.width;
const sy = H / img.height;
const draw = (x: number, y: number, a: number, square: boolean, c: [number, number, number]) => {
  for (const ox of [0, W]) {
    for (let t = -2; t <= 2; t++) {
      put(ox + x + t, y - 2, ...c);
      put(ox + x + t, y + 2, ...c);
      if (square) {
        put(ox + x - 2, y + t, ...c);
        put(ox + x + 2, y + t, ...c);
      }
    }
    for (let t = 0; t < 10; t++) put(ox + x + t * Math.cos(a), y - t * Math.sin(a), ...c);
  }
};
for (const m of readIsoMinutiae(set, name, img.width, img.height))
  draw(m.x * sx, m.y * sy, m.angle, m.type === 'bifurcation', [0, 200, 0]);
for (const m of result.minutiae) draw(m.x * sx, m.y * sy, m.angle, m.type === 'bifurcation', [230, 0, 0]);
fs.writeFileSync(out, PNG.sync.write(png));
console.log(out, 'ours', result.minutiae.length, 'quality', result.imageQuality);
