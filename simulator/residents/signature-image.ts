/**
 * A handwritten-looking signature (PNG via pngjs): one pen stroke of looping cursive made from a few
 * seeded sine terms across the box, a closing flourish underneath, drawn with a round pen of varying
 * pressure on white. Greyscale, as card signatures are scanned.
 */
import { PNG } from 'pngjs';
import type { Rng } from './random.ts';

export const SIGNATURE_WIDTH = 240;
export const SIGNATURE_HEIGHT = 90;

export function drawSignature(rng: Rng): Uint8Array {
  const w = SIGNATURE_WIDTH;
  const h = SIGNATURE_HEIGHT;
  const ink = new Float32Array(w * h);
  const loops = rng.int(4, 8);
  const amp = rng.float(12, 22);
  const slant = rng.float(0.15, 0.45);
  const phase = rng.float(0, Math.PI * 2);
  const wobble = rng.float(2, 6);
  const x0 = rng.float(12, 30);
  const x1 = w - rng.float(20, 50);
  const baseY = h * rng.float(0.45, 0.6);

  const stamp = (x: number, y: number, r: number) => {
    for (let yy = Math.floor(y - r - 1); yy <= Math.ceil(y + r + 1); yy++) {
      for (let xx = Math.floor(x - r - 1); xx <= Math.ceil(x + r + 1); xx++) {
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const dist = Math.hypot(xx - x, yy - y);
        const a = Math.max(0, Math.min(1, r + 0.5 - dist)); // a soft edge instead of jagged pixels
        const k = yy * w + xx;
        if (a > ink[k]) ink[k] = a;
      }
    }
  };

  // Main cursive stroke: the pen moves right while circling, like joined letters.
  const steps = 1400;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const a = t * loops * Math.PI * 2 + phase;
    const y = baseY - amp * Math.sin(a) * (0.6 + 0.4 * Math.sin(t * 7 + phase)) + wobble * Math.sin(t * 23);
    // A circle term larger than the forward speed per loop makes the pen go back: real loops.
    const loopRadius = ((x1 - x0) / loops / (2 * Math.PI)) * 1.7;
    const x = x0 + t * (x1 - x0) - loopRadius * Math.sin(a - Math.PI / 2) + slant * (baseY - y);
    const pressure = 0.9 + 0.8 * Math.sin(t * Math.PI) * (0.7 + 0.3 * Math.sin(a * 0.5));
    stamp(x, y, pressure);
  }
  // Flourish: a long shallow arc under the name.
  const fy = baseY + amp + rng.float(4, 10);
  const fLen = rng.float(0.6, 0.9);
  for (let i = 0; i <= 600; i++) {
    const t = i / 600;
    const x = x0 + t * (x1 - x0) * fLen + 10;
    const y = fy - Math.sin(t * Math.PI) * rng.float(3.8, 4.2) - t * 6;
    stamp(x, Math.min(h - 2, y), 0.8 + 0.5 * Math.sin(t * Math.PI));
  }

  const png = new PNG({
    width: w,
    height: h,
    colorType: 0,
    inputColorType: 0,
    bitDepth: 8,
    inputHasAlpha: false,
  });
  const grey = Buffer.alloc(w * h);
  for (let k = 0; k < w * h; k++) grey[k] = Math.round(255 - ink[k] * 235);
  png.data = grey;
  return new Uint8Array(PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
}
