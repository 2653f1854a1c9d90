import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import type { OrientationField } from '../../../../src/biometrics/extract/orientation.ts';

/** A "finger": curved sinusoidal ridges inside an ellipse, plain light background outside. */
function ellipseFinger(): { img: GrayImage; inside: (x: number, y: number, margin: number) => boolean } {
  const width = 240;
  const height = 260;
  const [cx, cy, rx, ry] = [120, 130, 80, 100];
  const inside = (x: number, y: number, margin: number) =>
    ((x - cx) / (rx + margin)) ** 2 + ((y - cy) / (ry + margin)) ** 2 <= 1;
  const pixels = new Uint8Array(width * height).fill(235);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside(x, y, 0)) continue;
      // Arches: ridges follow y + 0.004 (x - cx)^2 = const, 9 px apart.
      const phase = (2 * Math.PI * (y + 0.004 * (x - cx) ** 2)) / 9;
      pixels[y * width + x] = Math.round(128 + 90 * Math.cos(phase));
    }
  }
  return { img: { width, height, dpi: 500, pixels }, inside };
}

describe('segmentation', () => {
  it('covers the drawn finger and leaves the background out', () => {
    const { img, inside } = ellipseFinger();
    let field: OrientationField | undefined;
    let mask: Uint8Array | undefined;
    const result = extractMinutiae(img, {
      debug: (stage, snap) => {
        if (stage === 'orientation') field = snap as OrientationField;
        if (stage === 'mask') mask = snap as Uint8Array;
      },
    });
    if (!field || !mask) throw new Error('debug hook did not deliver orientation and mask');
    let deepInside = 0;
    let deepInsideOn = 0;
    let farOutside = 0;
    let farOutsideOn = 0;
    for (let by = 0; by < field.rows; by++) {
      for (let bx = 0; bx < field.cols; bx++) {
        const x = bx * field.blockSize + field.blockSize / 2;
        const y = by * field.blockSize + field.blockSize / 2;
        const on = mask[by * field.cols + bx] === 1;
        if (inside(x, y, -12)) {
          deepInside++;
          if (on) deepInsideOn++;
        } else if (!inside(x, y, 12)) {
          farOutside++;
          if (on) farOutsideOn++;
        }
      }
    }
    expect(deepInsideOn / deepInside).toBeGreaterThan(0.97);
    expect(farOutsideOn / farOutside).toBeLessThan(0.02);
    // The ellipse covers π·80·100 / (240·260) ≈ 40% of the image.
    expect(result.foregroundRatio).toBeGreaterThan(0.3);
    expect(result.foregroundRatio).toBeLessThan(0.5);
    // Smooth arches have no minutiae; the cut ridge ends at the ellipse edge must all be filtered.
    expect(result.minutiae).toEqual([]);
  });
});
