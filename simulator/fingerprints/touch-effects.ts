/**
 * Touch conditions applied to ANY grey fingerprint image (a real scan as well as a synthetic one):
 * re-placing and plastically distorting the print (inverse map + bilinear sampling), and making the
 * skin dry (thin, broken, faint ridges) or wet (thick, merged ridges, dark blots, grey valleys).
 *
 * The synthetic generator (impression.ts) makes these conditions while it renders ridges; here they
 * act on pixels, so that real ridge texture (FVC2002) can be put through FVC2004-like conditions
 * (test/bench/synth/real-hard.ts). Pure: images and a seeded Rng in, images out.
 *
 * Grey convention of the FVC sets: dark ridges on a bright background. "Ink" below is the darkness
 * of a pixel scaled to 0 (background) .. 1 (darkest ridge).
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { type PlasticDistortion, sensorToMaster } from './distortion.ts';
import { blotField, type WarpField } from './hard-conditions.ts';
import type { Rng } from './prng.ts';
import { valueNoise } from './smooth-noise.ts';

/** Background and ridge grey levels of a print, and where the print is (centroid of its texture). */
export interface PrintStats {
  background: number;
  ridge: number;
  centreX: number;
  centreY: number;
  /** 1 where there is ridge texture, 0 on bare background, smooth in between (per pixel) */
  foreground: Float32Array;
}

const BLOCK = 12;

/**
 * Background = median of the image's outer frame (FVC scans have bare platen at the edges);
 * ridge = 3rd percentile; foreground = blocks whose grey spread is well above the background's
 * noise, smoothed so that effects fade in rather than switch on at a block edge.
 */
export function printStats(img: GrayImage): PrintStats {
  const { width: w, height: h, pixels } = img;
  const frame: number[] = [];
  const f = 4;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if (x < f || y < f || x >= w - f || y >= h - f) frame.push(pixels[y * w + x]);
  frame.sort((a, b) => a - b);
  const sorted = Uint8Array.from(pixels).sort();
  const background = Math.max(frame[frame.length >> 1], sorted[Math.floor(sorted.length * 0.6)]);
  const ridge = Math.min(sorted[Math.floor(sorted.length * 0.03)], background - 40);

  // block standard deviation -> texture mask
  const bw = Math.ceil(w / BLOCK);
  const bh = Math.ceil(h / BLOCK);
  const sd = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      let s = 0;
      let s2 = 0;
      let n = 0;
      for (let y = by * BLOCK; y < Math.min(h, (by + 1) * BLOCK); y++)
        for (let x = bx * BLOCK; x < Math.min(w, (bx + 1) * BLOCK); x++) {
          const v = pixels[y * w + x];
          s += v;
          s2 += v * v;
          n++;
        }
      sd[by * bw + bx] = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
    }
  const threshold = 0.25 * (background - ridge) * 0.5;
  const foreground = new Float32Array(w * h);
  let sx = 0;
  let sy = 0;
  let sn = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      // bilinear over block centres, then a soft step around the threshold
      const gx = Math.min(bw - 1, Math.max(0, x / BLOCK - 0.5));
      const gy = Math.min(bh - 1, Math.max(0, y / BLOCK - 0.5));
      const v = bilinear(sd, bw, bh, gx, gy);
      const m = Math.min(1, Math.max(0, (v - 0.5 * threshold) / threshold));
      foreground[y * w + x] = m;
      sx += m * x;
      sy += m * y;
      sn += m;
    }
  return {
    background,
    ridge,
    centreX: sn > 0 ? sx / sn : w / 2,
    centreY: sn > 0 ? sy / sn : h / 2,
    foreground,
  };
}

function bilinear(data: ArrayLike<number>, w: number, h: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const tx = x - x0;
  const ty = y - y0;
  const a = data[y0 * w + x0];
  const b = data[y0 * w + x1];
  const c = data[y1 * w + x0];
  const d = data[y1 * w + x1];
  return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
}

/**
 * The output image, same size, where output pixel (x, y) takes the source grey at `map(x, y)`
 * (bilinear); points outside the source show `fill` (bare platen).
 */
export function warpGray(
  img: GrayImage,
  map: (x: number, y: number, out: Float64Array) => void,
  fill: number,
): GrayImage {
  const { width: w, height: h, pixels } = img;
  const out = new Uint8Array(w * h);
  const p = new Float64Array(2);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      map(x, y, p);
      const mx = p[0];
      const my = p[1];
      out[y * w + x] =
        mx >= 0 && my >= 0 && mx <= w - 1 && my <= h - 1 ? Math.round(bilinear(pixels, w, h, mx, my)) : fill;
    }
  return { width: w, height: h, dpi: img.dpi, pixels: out };
}

/** Where and how one touch put the finger on the sensor, relative to the source image. */
export interface TouchPlacement {
  /** turn of the finger, radians, counter-clockwise as seen */
  rotation: number;
  /** source point that lands at the sensor centre, as an offset from the source centre (pixels) */
  shiftX: number;
  shiftY: number;
  /**
   * plastic distortion; its close-contact ellipse is given relative to where the print's centre
   * lands on the sensor (cx = cy = 0 puts it on the centre of the ridge texture)
   */
  plastic: PlasticDistortion;
  warp?: WarpField;
}

/** The sensor point where source point (x, y) lands under the rigid part of `t`. */
export function landingPoint(img: GrayImage, t: TouchPlacement, x: number, y: number): [number, number] {
  const ux = x - (img.width / 2 + t.shiftX);
  const uy = y - (img.height / 2 + t.shiftY);
  const c = Math.cos(t.rotation);
  const s = Math.sin(t.rotation);
  return [img.width / 2 + c * ux + s * uy, img.height / 2 - s * ux + c * uy];
}

/**
 * The print re-placed and distorted by `t` (same size as the source). Inside the close-contact
 * ellipse the skin does not slide, so there the result is the source moved rigidly.
 */
export function placeTouch(img: GrayImage, stats: PrintStats, t: TouchPlacement): GrayImage {
  const [lx, ly] = landingPoint(img, t, stats.centreX, stats.centreY);
  const plastic = { ...t.plastic, cx: lx + t.plastic.cx, cy: ly + t.plastic.cy };
  const pose = {
    rotation: t.rotation,
    masterX: img.width / 2 + t.shiftX,
    masterY: img.height / 2 + t.shiftY,
  };
  return warpGray(img, sensorToMaster(pose, plastic, img.width, img.height, t.warp), stats.background);
}

/** Ink (0 background .. 1 darkest ridge) of every pixel. */
function toInk(img: GrayImage, s: PrintStats): Float32Array {
  const span = s.background - s.ridge;
  const ink = new Float32Array(img.pixels.length);
  for (let i = 0; i < ink.length; i++)
    ink[i] = Math.min(1, Math.max(0, (s.background - img.pixels[i]) / span));
  return ink;
}

function fromInk(img: GrayImage, s: PrintStats, ink: Float32Array): GrayImage {
  const span = s.background - s.ridge;
  const pixels = new Uint8Array(ink.length);
  for (let i = 0; i < ink.length; i++)
    pixels[i] = Math.min(255, Math.max(0, Math.round(s.background - ink[i] * span)));
  return { width: img.width, height: img.height, dpi: img.dpi, pixels };
}

/** 3 x 3 minimum (which = 'min') or maximum filter of a float image. */
function filter3(a: Float32Array, w: number, h: number, which: 'min' | 'max'): Float32Array {
  const out = new Float32Array(a.length);
  const pick = which === 'min' ? Math.min : Math.max;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = a[y * w + x];
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w) v = pick(v, a[yy * w + xx]);
        }
      }
      out[y * w + x] = v;
    }
  return out;
}

/** Per-pixel mix of `a` towards `b` by weight `t` (a Float32Array of the same length, 0..1). */
function mixInto(a: Float32Array, b: Float32Array, t: (i: number) => number): void {
  for (let i = 0; i < a.length; i++) {
    const k = t(i);
    a[i] += (b[i] - a[i]) * k;
  }
}

/** 0..1 from a value-noise field value in about [-1, 1]. */
const unit = (v: number) => Math.min(1, Math.max(0, 0.5 + v));

/**
 * Dry skin, `level` 0..1: ridges thinned (grey opening of the valleys: ink eroded), broken where a
 * ridge-scale smooth noise is high (skin that did not touch), and faint, more so in large patches.
 */
export function dryTouch(img: GrayImage, stats: PrintStats, rng: Rng, level: number): GrayImage {
  const { width: w, height: h } = img;
  const scale = img.dpi / 500;
  let ink = toInk(img, stats);
  const patches = valueNoise(rng, w, h, 70 * scale, 2).data;
  // thinning: where the patch noise is high the ridge loses a pixel each side (twice when very dry)
  const thin = filter3(ink, w, h, 'min');
  mixInto(ink, thin, (i) => Math.min(1, level * (0.6 + 0.8 * unit(patches[i]))));
  if (level > 0.6) {
    const thinner = filter3(ink, w, h, 'min');
    mixInto(ink, thinner, (i) => Math.max(0, unit(patches[i]) - 0.55) * 1.6 * level);
  }
  ink = Float32Array.from(ink);
  // breaks: gaps a few pixels long along the ridges, denser in the dry patches
  const gaps = valueNoise(rng, w, h, 7 * scale, 2).data;
  const faint = 0.9 - 0.3 * level;
  for (let i = 0; i < ink.length; i++) {
    const g = gaps[i] + 0.4 * unit(patches[i]) * level - 0.55 + 0.2 * (1 - level);
    const keep = g > 0 ? Math.max(0, 1 - g * 5) : 1;
    const contrast = faint + (1 - faint) * (1 - unit(patches[i])) * 0.6;
    // a gamma > 1 lightens the half-pressed ridge flanks more than the ridge centres
    ink[i] = contrast * keep * ink[i] ** (1 + 0.4 * level);
  }
  return fromInk(img, stats, ink);
}

/**
 * Wet skin, `level` 0..1: ridges thickened until they merge (grey erosion: ink dilated), valleys
 * grey (water between ridges), and a few dark blots where the ridges vanish into one patch.
 */
export function wetTouch(img: GrayImage, stats: PrintStats, rng: Rng, level: number): GrayImage {
  const { width: w, height: h } = img;
  const scale = img.dpi / 500;
  const ink = toInk(img, stats);
  const patches = valueNoise(rng, w, h, 70 * scale, 2).data;
  const fat = filter3(ink, w, h, 'max');
  mixInto(ink, fat, (i) => Math.min(1, level * (0.5 + 0.9 * unit(patches[i]))));
  if (level > 0.5) {
    const fatter = filter3(ink, w, h, 'max');
    mixInto(ink, fatter, (i) => Math.max(0, unit(patches[i]) - 0.5) * 1.4 * level);
  }
  const count = 1 + rng.int(2 + Math.round(3 * level));
  const blots = blotField(rng, w, h, count);
  const fg = stats.foreground;
  for (let i = 0; i < ink.length; i++) {
    // water fills the valleys only where the finger touches
    const valley = fg[i] * level * (0.2 + 0.35 * unit(patches[i]));
    const blot = fg[i] * Math.min(0.9, -blots[i]);
    let v = ink[i] + (1 - ink[i]) * valley;
    v += (0.95 - v) * Math.max(0, blot);
    ink[i] = Math.min(1, v);
  }
  return fromInk(img, stats, ink);
}
