/**
 * A synthetic KTP-el face photo (JPEG via jpeg-js): the official red or blue background (red for an
 * even birth year, blue for an odd one), shoulders in a shirt, a head oval, hair, eyes, brows, nose and
 * mouth, with skin tone, face shape and hair varying per resident. Mild sensor noise keeps the JPEG
 * near the size of a real card photo (about 10-16 KB) instead of a few KB of flat colour.
 */
import jpeg from 'jpeg-js';
import type { Rng } from './random.ts';

export const PHOTO_WIDTH = 200;
export const PHOTO_HEIGHT = 260;

type Rgb = readonly [number, number, number];

export interface FaceLook {
  background: 'red' | 'blue';
  female: boolean;
}

const SKIN: readonly Rgb[] = [
  [233, 196, 160],
  [214, 170, 130],
  [196, 145, 105],
  [170, 120, 85],
  [140, 95, 65],
];
const SHIRTS: readonly Rgb[] = [
  [245, 245, 245],
  [30, 40, 80],
  [20, 20, 20],
  [120, 30, 40],
  [60, 90, 60],
  [200, 190, 160],
];

export function drawFacePhoto(rng: Rng, look: FaceLook): Uint8Array {
  const w = PHOTO_WIDTH;
  const h = PHOTO_HEIGHT;
  const rgba = new Uint8Array(w * h * 4);
  const bg: Rgb = look.background === 'red' ? [200, 30, 35] : [30, 70, 170];
  const skin = rng.pick(SKIN);
  const shirt = rng.pick(SHIRTS);
  const hair: Rgb = rng.chance(0.85)
    ? [20 + rng.int(0, 15), 15 + rng.int(0, 10), 10 + rng.int(0, 10)]
    : [110, 110, 110];
  const hijab = look.female && rng.chance(0.45);
  const hijabColour: Rgb = rng.pick([
    [240, 240, 240],
    [20, 30, 60],
    [110, 40, 70],
    [50, 50, 50],
    [180, 150, 120],
  ] as const);
  const cx = w / 2 + rng.float(-6, 6);
  const cy = h * 0.42 + rng.float(-5, 5);
  const rx = w * rng.float(0.2, 0.25);
  const ry = h * rng.float(0.23, 0.27);
  const eyeY = cy - ry * 0.12;
  const eyeDx = rx * 0.42;
  const longHair = look.female && !hijab && rng.chance(0.7);
  const neck: Rgb = [skin[0] - 15, skin[1] - 15, skin[2] - 15];
  const nose: Rgb = [skin[0] - 25, skin[1] - 25, skin[2] - 25];

  const inEllipse = (x: number, y: number, ex: number, ey: number, ax: number, ay: number) =>
    ((x - ex) / ax) ** 2 + ((y - ey) / ay) ** 2 <= 1;

  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Background with a soft vertical gradient, as studio photos have.
      let c: Rgb = [bg[0] - y * 0.08, bg[1] - y * 0.04, bg[2] - y * 0.05];
      const shoulderTop = cy + ry * 1.05;
      if (y > shoulderTop && Math.abs(x - cx) < rx * 1.1 + (y - shoulderTop) * 1.6) c = shirt;
      if (longHair && inEllipse(x, y, cx, cy + ry * 0.35, rx * 1.35, ry * 1.25)) c = hair;
      if (hijab && inEllipse(x, y, cx, cy + ry * 0.15, rx * 1.4, ry * 1.35)) c = hijabColour;
      // Neck, then the face oval.
      if (!hijab && y > cy && y < cy + ry * 1.25 && Math.abs(x - cx) < rx * 0.45) c = neck;
      if (inEllipse(x, y, cx, cy, rx, ry)) {
        c = skin;
        // Hair line over the top of the head.
        if (!hijab && y < cy - ry * 0.55 && inEllipse(x, y, cx, cy - ry * 0.2, rx * 1.08, ry * 0.9)) c = hair;
        if (hijab && y < cy - ry * 0.6) c = hijabColour;
      }
      if (
        !hijab &&
        !inEllipse(x, y, cx, cy, rx, ry) &&
        inEllipse(x, y, cx, cy - ry * 0.25, rx * 1.08, ry * 0.85) &&
        y < cy - ry * 0.3
      )
        c = hair;
      // Eyes, brows, nose, mouth.
      for (const side of [-1, 1]) {
        if (inEllipse(x, y, cx + side * eyeDx, eyeY, rx * 0.16, ry * 0.06)) c = [245, 245, 240];
        if (inEllipse(x, y, cx + side * eyeDx, eyeY, rx * 0.07, ry * 0.055)) c = [35, 25, 20];
        if (inEllipse(x, y, cx + side * eyeDx, eyeY - ry * 0.16, rx * 0.2, ry * 0.025)) c = hair;
      }
      if (inEllipse(x, y, cx, cy + ry * 0.18, rx * 0.08, ry * 0.12)) c = nose;
      if (inEllipse(x, y, cx, cy + ry * 0.5, rx * 0.3, ry * 0.05)) c = [150, 60, 60];
      const i = (y * w + x) * 4;
      const noise = rng.gaussian() * 6;
      rgba[i] = clamp(c[0] + noise);
      rgba[i + 1] = clamp(c[1] + noise);
      rgba[i + 2] = clamp(c[2] + noise);
      rgba[i + 3] = 255;
    }
  }
  const out = jpeg.encode({ data: rgba, width: w, height: h }, 80);
  return new Uint8Array(out.data);
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
