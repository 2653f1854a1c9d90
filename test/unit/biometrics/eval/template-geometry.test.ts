import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { isoTemplateOnImage } from '../../../../src/biometrics/eval/template-geometry.ts';

const deg = Math.PI / 180;
const iso = (angle: number): MinutiaeSet => ({
  width: 300,
  height: 400,
  dpiX: 500.38,
  dpiY: 500.38,
  minutiae: [{ x: 150, y: 100, angle, type: 'ending', quality: 50 }],
  quality: 70,
  fingerPosition: 2,
});

describe('ISO template back on its FVC image', () => {
  it('scales x by width/300 and y by height/400 and takes the image resolution', () => {
    const t = isoTemplateOnImage(iso(0), { width: 388, height: 374, dpi: 500 });
    expect(t.width).toBe(388);
    expect(t.height).toBe(374);
    expect(t.dpiX).toBe(500);
    expect(t.minutiae[0].x).toBeCloseTo(194, 9);
    expect(t.minutiae[0].y).toBeCloseTo(93.5, 9);
    expect(t.quality).toBe(70);
  });

  it('bends directions by the unequal scaling, keeping the axes', () => {
    // x stretched 2x, y unchanged: 45° becomes atan(1/2)
    const stretched = { width: 600, height: 400, dpi: 500 };
    expect(isoTemplateOnImage(iso(45 * deg), stretched).minutiae[0].angle).toBeCloseTo(Math.atan(0.5), 9);
    expect(isoTemplateOnImage(iso(0), stretched).minutiae[0].angle).toBeCloseTo(0, 9);
    expect(isoTemplateOnImage(iso(90 * deg), stretched).minutiae[0].angle).toBeCloseTo(90 * deg, 9);
    // angles stay in [0, 2π)
    expect(isoTemplateOnImage(iso(300 * deg), stretched).minutiae[0].angle).toBeGreaterThan(Math.PI);
  });
});
