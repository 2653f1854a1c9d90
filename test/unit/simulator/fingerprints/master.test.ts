import { describe, expect, it } from 'vitest';
import {
  CLASS_FREQUENCIES,
  drawFingerClass,
  FINGER_CLASSES,
  type FingerClass,
  type MasterFinger,
  makeMasterFinger,
  orientationAt,
  type Point,
} from '../../../../simulator/fingerprints/index.ts';
import { countMinutiae } from './minutiae-count.ts';

/** Sum of orientation changes around a circle (counter-clockwise as seen), in turns. */
function poincareIndex(m: MasterFinger, p: Point, r: number): number {
  const n = 72;
  let total = 0;
  let prev = orientationAt(m.orientationModel, p.x + r, p.y);
  for (let k = 1; k <= n; k++) {
    const phi = (2 * Math.PI * k) / n;
    const cur = orientationAt(m.orientationModel, p.x + r * Math.cos(phi), p.y - r * Math.sin(phi));
    let d = cur - prev;
    // orientations are modulo π: take the smallest turn
    if (d > Math.PI / 2) d -= Math.PI;
    if (d < -Math.PI / 2) d += Math.PI;
    total += d;
    prev = cur;
  }
  return total / (2 * Math.PI);
}

function radiusFor(m: MasterFinger, p: Point): number {
  const others = [...m.singular.cores, ...m.singular.deltas].filter((q) => q !== p);
  const nearest = Math.min(...others.map((q) => Math.hypot(q.x - p.x, q.y - p.y)), 1e9);
  return Math.min(12, nearest * 0.4);
}

const sample: Record<FingerClass, MasterFinger> = Object.fromEntries(
  FINGER_CLASSES.map((c, i) => [c, makeMasterFinger(1000 + i, { fingerClass: c })]),
) as Record<FingerClass, MasterFinger>;

describe('master fingerprint', () => {
  it('is deterministic: same seed, identical ridge field; other seed, different field', () => {
    const a = makeMasterFinger(77);
    const b = makeMasterFinger(77);
    const c = makeMasterFinger(78);
    expect(Buffer.from(a.ridges.buffer).equals(Buffer.from(b.ridges.buffer))).toBe(true);
    expect(a.fingerClass).toBe(b.fingerClass);
    expect(Buffer.from(a.ridges.buffer).equals(Buffer.from(c.ridges.buffer))).toBe(false);
  });

  it('draws classes in the natural proportions', () => {
    const n = 20_000;
    const counts = Object.fromEntries(FINGER_CLASSES.map((c) => [c, 0])) as Record<FingerClass, number>;
    for (let s = 0; s < n; s++) counts[drawFingerClass(s)]++;
    for (const c of FINGER_CLASSES)
      expect(Math.abs(counts[c] / n - CLASS_FREQUENCIES[c])).toBeLessThan(0.012);
  });

  it.each(FINGER_CLASSES)('%s has the right singular points', (cls) => {
    const m = sample[cls];
    const expected = {
      arch: [0, 0],
      'tented-arch': [1, 1],
      'left-loop': [1, 1],
      'right-loop': [1, 1],
      whorl: [2, 2],
    }[cls];
    expect([m.singular.cores.length, m.singular.deltas.length]).toEqual(expected);
    for (const p of [...m.singular.cores, ...m.singular.deltas]) {
      expect(m.mask[Math.round(p.y) * m.width + Math.round(p.x)]).toBe(1);
    }
  });

  it.each(FINGER_CLASSES)('%s: Poincaré index +1/2 around cores, -1/2 around deltas, 0 elsewhere', (cls) => {
    const m = sample[cls];
    for (const c of m.singular.cores) expect(poincareIndex(m, c, radiusFor(m, c))).toBeCloseTo(0.5, 6);
    for (const d of m.singular.deltas) expect(poincareIndex(m, d, radiusFor(m, d))).toBeCloseTo(-0.5, 6);
    // a point well away from every singularity
    const all = [...m.singular.cores, ...m.singular.deltas];
    const quiet = { x: m.shape.cx, y: m.shape.cy - m.shape.middle / 2 - m.shape.top * 0.7 };
    if (all.every((p) => Math.hypot(p.x - quiet.x, p.y - quiet.y) > 40)) {
      expect(poincareIndex(m, quiet, 12)).toBeCloseTo(0, 6);
    }
  });

  it('left and right loops open to opposite sides (delta on the right of a left loop)', () => {
    const l = sample['left-loop'];
    const r = sample['right-loop'];
    expect(l.singular.deltas[0].x).toBeGreaterThan(l.singular.cores[0].x);
    expect(r.singular.deltas[0].x).toBeLessThan(r.singular.cores[0].x);
  });

  it.each(FINGER_CLASSES)('%s: grown ridges follow the orientation field', (cls) => {
    const m = sample[cls];
    const errors: number[] = [];
    const B = 16;
    for (let by = B; by < m.height - 2 * B; by += B) {
      for (let bx = B; bx < m.width - 2 * B; bx += B) {
        const cx = bx + B / 2;
        const cy = by + B / 2;
        if (!insideDeep(m, cx, cy, 20)) continue;
        if ([...m.singular.cores, ...m.singular.deltas].some((p) => Math.hypot(p.x - cx, p.y - cy) < 25))
          continue;
        let gxx = 0;
        let gyy = 0;
        let gxy = 0;
        for (let y = by; y < by + B; y++) {
          for (let x = bx; x < bx + B; x++) {
            const i = y * m.width + x;
            const gx = (m.ridges[i + 1] - m.ridges[i - 1]) / 2;
            const gy = -(m.ridges[i + m.width] - m.ridges[i - m.width]) / 2; // y up
            gxx += gx * gx;
            gyy += gy * gy;
            gxy += gx * gy;
          }
        }
        const ridgeDir = 0.5 * Math.atan2(2 * gxy, gxx - gyy) + Math.PI / 2;
        let d = Math.abs(ridgeDir - m.orientation[cy * m.width + cx]) % Math.PI;
        if (d > Math.PI / 2) d = Math.PI - d;
        errors.push((d * 180) / Math.PI);
      }
    }
    errors.sort((a, b) => a - b);
    expect(errors.length).toBeGreaterThan(50);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(6);
    expect(errors[Math.floor(errors.length * 0.9)]).toBeLessThan(20);
  });

  it('has a ridge period near the period map (zero crossings across the ridges)', () => {
    for (const cls of FINGER_CLASSES) {
      const m = sample[cls];
      const ratios: number[] = [];
      for (let y = 40; y < m.height - 40; y += 23) {
        for (let x = 40; x < m.width - 40; x += 23) {
          if (!insideDeep(m, x, y, 35)) continue;
          if ([...m.singular.cores, ...m.singular.deltas].some((p) => Math.hypot(p.x - x, p.y - y) < 50))
            continue;
          const t = m.orientation[y * m.width + x];
          // the normal to the ridges, in image coordinates
          const nx = Math.sin(t);
          const ny = Math.cos(t);
          let crossings = 0;
          let prev = bilinear(m, x - 30 * nx, y - 30 * ny);
          for (let s = -29.5; s <= 30; s += 0.5) {
            const v = bilinear(m, x + s * nx, y + s * ny);
            if (v > 0 !== prev > 0) crossings++;
            prev = v;
          }
          if (crossings > 0) ratios.push((2 * 60) / crossings / m.period[y * m.width + x]);
        }
      }
      expect(ratios.length).toBeGreaterThan(10);
      const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
      expect(mean).toBeGreaterThan(0.9);
      expect(mean).toBeLessThan(1.12);
    }
  });

  it('has a period map around 8.5-9 px (500 dpi)', () => {
    for (const cls of FINGER_CLASSES) {
      const m = sample[cls];
      let s = 0;
      let n = 0;
      for (let i = 0; i < m.mask.length; i++) {
        if (!m.mask[i]) continue;
        s += m.period[i];
        n++;
      }
      expect(s / n).toBeGreaterThan(7.8);
      expect(s / n).toBeLessThan(10.2);
    }
  });

  it('has minutiae at a natural density', () => {
    const counts = FINGER_CLASSES.map((c) => {
      const m = sample[c];
      const r = countMinutiae(m.width, m.height, (i) => m.ridges[i] > 0, m.mask);
      return r.endings + r.bifurcations;
    });
    const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
    // whole fingertip (~ 250 mm²) minus a 14 px border
    expect(mean).toBeGreaterThan(40);
    expect(mean).toBeLessThan(100);
    for (const c of counts) expect(c).toBeGreaterThan(20);
  });
});

function insideDeep(m: MasterFinger, x: number, y: number, r: number): boolean {
  for (const [dx, dy] of [
    [0, 0],
    [r, 0],
    [-r, 0],
    [0, r],
    [0, -r],
  ]) {
    const xx = Math.round(x + dx);
    const yy = Math.round(y + dy);
    if (xx < 0 || yy < 0 || xx >= m.width || yy >= m.height || !m.mask[yy * m.width + xx]) return false;
  }
  return true;
}

function bilinear(m: MasterFinger, x: number, y: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const i = iy * m.width + ix;
  const f = m.ridges;
  return (
    (f[i] * (1 - fx) + f[i + 1] * fx) * (1 - fy) + (f[i + m.width] * (1 - fx) + f[i + m.width + 1] * fx) * fy
  );
}
