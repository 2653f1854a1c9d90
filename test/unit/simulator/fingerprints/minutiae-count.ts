/**
 * Test helper (not a test): a deliberately simple minutiae counter for checking the generator's ridge
 * pattern, independent of the project's extractor. Binarises a ridge field, thins it (Zhang-Suen),
 * and counts crossing-number endings (CN = 1) and bifurcations (CN = 3) away from the mask border.
 */

export interface CountedMinutiae {
  endings: number;
  bifurcations: number;
  /** positions (pixels), for drawing */
  points: Array<{ x: number; y: number; type: 'ending' | 'bifurcation' }>;
}

/**
 * `ridge[i] > 0` marks a ridge pixel; `inside` is the area where minutiae count (1 = inside); points
 * closer than `border` px to its edge are ignored, since every ridge ends at the edge of a print.
 */
export function countMinutiae(
  width: number,
  height: number,
  ridge: (i: number) => boolean,
  inside: Uint8Array,
  border = 14,
): CountedMinutiae {
  const img = new Uint8Array(width * height);
  for (let i = 0; i < img.length; i++) img[i] = inside[i] && ridge(i) ? 1 : 0;
  thin(img, width, height);
  const far = erode(inside, width, height, border);
  const raw: CountedMinutiae['points'] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!img[i] || !far[i]) continue;
      const n = neighbours(img, width, x, y);
      let cn = 0;
      for (let k = 0; k < 8; k++) cn += Math.abs(n[k] - n[(k + 1) % 8]);
      cn /= 2;
      if (cn === 1) raw.push({ x, y, type: 'ending' });
      else if (cn === 3) raw.push({ x, y, type: 'bifurcation' });
    }
  }
  // pairs of minutiae closer than ~ half a ridge period are thinning artefacts (spurs, short breaks)
  const keep = raw.filter((p, i) => !raw.some((q, j) => j !== i && (p.x - q.x) ** 2 + (p.y - q.y) ** 2 < 36));
  return {
    endings: keep.filter((p) => p.type === 'ending').length,
    bifurcations: keep.filter((p) => p.type === 'bifurcation').length,
    points: keep,
  };
}

function neighbours(img: Uint8Array, w: number, x: number, y: number): number[] {
  // P2..P9 clockwise from north
  return [
    img[(y - 1) * w + x],
    img[(y - 1) * w + x + 1],
    img[y * w + x + 1],
    img[(y + 1) * w + x + 1],
    img[(y + 1) * w + x],
    img[(y + 1) * w + x - 1],
    img[y * w + x - 1],
    img[(y - 1) * w + x - 1],
  ];
}

function thin(img: Uint8Array, w: number, h: number): void {
  let changed = true;
  const del: number[] = [];
  while (changed) {
    changed = false;
    for (let step = 0; step < 2; step++) {
      del.length = 0;
      for (let y = 1; y < h - 1; y++) {
        for (let x = 1; x < w - 1; x++) {
          if (!img[y * w + x]) continue;
          const p = neighbours(img, w, x, y);
          const b = p.reduce((s, v) => s + v, 0);
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let k = 0; k < 8; k++) if (p[k] === 0 && p[(k + 1) % 8] === 1) a++;
          if (a !== 1) continue;
          if (step === 0 && (p[0] * p[2] * p[4] !== 0 || p[2] * p[4] * p[6] !== 0)) continue;
          if (step === 1 && (p[0] * p[2] * p[6] !== 0 || p[0] * p[4] * p[6] !== 0)) continue;
          del.push(y * w + x);
        }
      }
      for (const i of del) img[i] = 0;
      if (del.length) changed = true;
    }
  }
}

function erode(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  // separable square erosion, enough for "far from the border"
  const tmp = new Uint8Array(w * h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let ok = 1;
      for (let d = -r; d <= r && ok; d++) {
        const xx = x + d;
        if (xx < 0 || xx >= w || !mask[y * w + xx]) ok = 0;
      }
      tmp[y * w + x] = ok;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let ok = 1;
      for (let d = -r; d <= r && ok; d++) {
        const yy = y + d;
        if (yy < 0 || yy >= h || !tmp[yy * w + x]) ok = 0;
      }
      out[y * w + x] = ok;
    }
  }
  return out;
}
