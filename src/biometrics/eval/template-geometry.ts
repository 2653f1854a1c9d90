import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';

/**
 * The FVC2002 .iso templates were extracted from each image resized to 300x400 regardless of its
 * aspect ratio (datasets/fvc2002-b/SOURCE.md). This puts their minutiae back on the original image:
 * x * width/300, y * height/400, directions bent by the same unequal scaling, and the image's true
 * resolution, so the matcher sees the finger at its real size.
 */
export function isoTemplateOnImage(
  t: MinutiaeSet,
  image: { width: number; height: number; dpi: number },
): MinutiaeSet {
  const sx = image.width / t.width;
  const sy = image.height / t.height;
  return {
    ...t,
    width: image.width,
    height: image.height,
    dpiX: image.dpi,
    dpiY: image.dpi,
    minutiae: t.minutiae.map((m) => {
      // ISO angles are counter-clockwise with y down: direction (cos a, -sin a) in image pixels.
      const a = Math.atan2(Math.sin(m.angle) * sy, Math.cos(m.angle) * sx);
      return { ...m, x: m.x * sx, y: m.y * sy, angle: a < 0 ? a + 2 * Math.PI : a };
    }),
  };
}
