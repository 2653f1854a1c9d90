/** Templates for the matcher tests: FVC2002 .iso files from ../shared (never copied) and random sets. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import type { Minutia, MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { fvcSetImageGeometry } from '../../../../src/biometrics/eval/dataset.ts';
import { isoTemplateOnImage } from '../../../../src/biometrics/eval/template-geometry.ts';
import { FVC_DIR, fvcPresent as present } from '../../../shared-data.ts';

export const fvcDir = FVC_DIR;
export const fvcPresent = present();
if (!fvcPresent) console.warn(`FVC2002-B dataset not found at ${fvcDir}: matcher dataset tests are skipped`);

/** The commercial template of `<set>/<id>.iso`, put back on its image's geometry. */
export function isoTemplate(set: string, id: string): MinutiaeSet {
  const dir = path.join(fvcDir, set);
  return isoTemplateOnImage(
    decodeIso19794_2(readFileSync(path.join(dir, `${id}.iso`))),
    fvcSetImageGeometry(dir),
  );
}

/** Rotates by `theta` (radians, counter-clockwise as seen on the image) about (cx, cy), then shifts. */
export function transformSet(
  set: MinutiaeSet,
  theta: number,
  dx: number,
  dy: number,
  cx = set.width / 2,
  cy = set.height / 2,
): MinutiaeSet {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const turn = 2 * Math.PI;
  return {
    ...set,
    minutiae: set.minutiae.map((m) => {
      // image y points down: counter-clockwise on screen is clockwise in (x, y) maths
      const x = m.x - cx;
      const y = m.y - cy;
      return {
        ...m,
        x: cx + c * x + s * y + dx,
        y: cy - s * x + c * y + dy,
        angle: (((m.angle + theta) % turn) + turn) % turn,
      };
    }),
  };
}

/** A deterministic pseudo-random template (mulberry32), minutiae at least 12 px apart. */
export function randomSet(seed: number, count: number, width = 300, height = 300): MinutiaeSet {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const minutiae: Minutia[] = [];
  for (let tries = 0; minutiae.length < count && tries < count * 50; tries++) {
    const x = 20 + rnd() * (width - 40);
    const y = 20 + rnd() * (height - 40);
    if (minutiae.some((m) => Math.hypot(m.x - x, m.y - y) < 12)) continue;
    minutiae.push({
      x,
      y,
      angle: rnd() * 2 * Math.PI,
      type: rnd() < 0.5 ? 'ending' : 'bifurcation',
      quality: 60,
    });
  }
  return { width, height, dpiX: 500, dpiY: 500, minutiae, quality: 60, fingerPosition: 0 };
}
