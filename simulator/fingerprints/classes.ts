/**
 * Fingerprint classes and where their singular points go (SFinGe step 2: "orientation field from a
 * class-dependent set of cores and deltas"). Class frequencies follow the natural distribution used
 * by SFinGe (Wilson, Candela, Watson 1994, as quoted in the Handbook of Fingerprint Recognition):
 * arch 3.7%, tented arch 2.9%, left loop 33.8%, right loop 31.7%, whorl 27.9%.
 */
import type { Rng } from './prng.ts';
import type { FingerShape } from './shape.ts';

export type FingerClass = 'arch' | 'tented-arch' | 'left-loop' | 'right-loop' | 'whorl';

export const FINGER_CLASSES: readonly FingerClass[] = [
  'arch',
  'tented-arch',
  'left-loop',
  'right-loop',
  'whorl',
];

export const CLASS_FREQUENCIES: Readonly<Record<FingerClass, number>> = {
  arch: 0.037,
  'tented-arch': 0.029,
  'left-loop': 0.338,
  'right-loop': 0.317,
  whorl: 0.279,
};

export interface Point {
  x: number;
  y: number;
}

export interface SingularPoints {
  cores: Point[];
  deltas: Point[];
}

/**
 * Places cores and deltas for a class on a finger silhouette (master pixels, 500 dpi). Distances are
 * from measured prints: a loop's core-to-delta distance is usually 10 to 15 ridges (~90-135 px).
 * The whole set is then turned by `tilt` (radians, counter-clockwise as seen) about the first core,
 * because real fingers are rarely placed perfectly upright.
 */
export function placeSingularities(
  rng: Rng,
  cls: FingerClass,
  shape: FingerShape,
  tilt: number,
): SingularPoints {
  const fingerTop = shape.cy - shape.middle / 2 - shape.top;
  const fingerLen = shape.top + shape.middle + shape.bottom;
  const core: Point = {
    x: shape.cx + rng.uniform(-0.05, 0.05) * (shape.left + shape.right),
    y: fingerTop + rng.normalIn(0.4, 0.04, 0.3, 0.5) * fingerLen,
  };
  let sp: SingularPoints;
  switch (cls) {
    case 'arch':
      sp = { cores: [], deltas: [] };
      break;
    case 'tented-arch': {
      const d = rng.normalIn(70, 12, 45, 95);
      sp = { cores: [core], deltas: [{ x: core.x + rng.uniform(-8, 8), y: core.y + d }] };
      break;
    }
    case 'left-loop':
    case 'right-loop': {
      const side = cls === 'left-loop' ? 1 : -1;
      const d = rng.normalIn(115, 15, 85, 150);
      const a = (rng.normalIn(52, 8, 35, 68) * Math.PI) / 180;
      sp = {
        cores: [core],
        deltas: [{ x: core.x + side * d * Math.cos(a), y: core.y + d * Math.sin(a) }],
      };
      break;
    }
    case 'whorl': {
      // two cores a few ridges apart; their offset decides between a concentric-looking and a
      // spiral/double-loop-looking whorl
      const sep = rng.normalIn(22, 8, 8, 40);
      const a = rng.uniform(-0.6, 0.6) + Math.PI / 2;
      const c1 = { x: core.x - (sep / 2) * Math.cos(a), y: core.y - (sep / 2) * Math.sin(a) };
      const c2 = { x: core.x + (sep / 2) * Math.cos(a), y: core.y + (sep / 2) * Math.sin(a) };
      const dl = rng.normalIn(120, 12, 95, 150);
      const dr = rng.normalIn(120, 12, 95, 150);
      const al = (rng.normalIn(50, 7, 35, 65) * Math.PI) / 180;
      const ar = (rng.normalIn(50, 7, 35, 65) * Math.PI) / 180;
      sp = {
        cores: [c1, c2],
        deltas: [
          { x: core.x - dl * Math.cos(al), y: core.y + dl * Math.sin(al) },
          { x: core.x + dr * Math.cos(ar), y: core.y + dr * Math.sin(ar) },
        ],
      };
      break;
    }
  }
  return rotateAbout(sp, core, tilt);
}

function rotateAbout(sp: SingularPoints, c: Point, angle: number): SingularPoints {
  // counter-clockwise as seen on the image, where y grows downwards
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const turn = (p: Point): Point => {
    const dx = p.x - c.x;
    const dy = p.y - c.y;
    return { x: c.x + dx * cos + dy * sin, y: c.y - dx * sin + dy * cos };
  };
  return { cores: sp.cores.map(turn), deltas: sp.deltas.map(turn) };
}
