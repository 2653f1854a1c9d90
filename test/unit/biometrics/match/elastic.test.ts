import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { ElasticPairing } from '../../../../src/biometrics/match/elastic.ts';
import { compare, DEFAULT_THRESHOLD, prepareTemplate } from '../../../../src/biometrics/match/index.ts';
import { Pairing, type Rigid } from '../../../../src/biometrics/match/pairing.ts';
import { ELASTIC_ROUNDS } from '../../../../src/biometrics/match/params.ts';
import { randomSet } from './fixtures.ts';

/**
 * Plastic distortion (Cappelli et al. 2001): the skin near (cx, cy) sticks to the platen, the rest
 * moves rigidly by `theta` and (tx, ty), with a smooth transition of width k between the two.
 */
function plastic(set: MinutiaeSet, theta: number, tx: number, ty: number, k = 60): MinutiaeSet {
  const cx = set.width / 2;
  const cy = set.height / 2;
  return {
    ...set,
    minutiae: set.minutiae.map((m) => {
      const ux = m.x - cx;
      const uy = m.y - cy;
      const f = 1 - Math.exp(-(ux * ux + uy * uy) / (2 * k * k));
      const a = f * theta;
      const c = Math.cos(a);
      const s = Math.sin(a);
      return {
        ...m,
        x: cx + c * ux - s * uy + f * tx,
        y: cy + s * ux + c * uy + f * ty,
        // image y points down: a rotation by a in (x, y) turns ISO angles by -a
        angle: (((m.angle - a) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI),
      };
    }),
  };
}

const identity: Rigid = { cos: 1, sin: 0, tx: 0, ty: 0 };

/** Rigid pairs under the identity, then elastic pairs from them: [rigid, elastic] counts. */
function pairCounts(a: MinutiaeSet, b: MinutiaeSet): [number, number] {
  const p = prepareTemplate(a);
  const c = prepareTemplate(b);
  const pairing = new Pairing(p);
  const m = pairing.pairUp(c, identity, p.centroidX, p.centroidY);
  pairing.keepPairs(m);
  const elastic = new ElasticPairing(p, pairing.grid);
  const n = elastic.run(
    c,
    identity,
    pairing.keptP,
    pairing.keptC,
    m,
    ELASTIC_ROUNDS,
    p.centroidX,
    p.centroidY,
  );
  return [m, n];
}

describe('elastic re-pairing', () => {
  it('pairs more of a strongly distorted copy than the rigid pairing does', () => {
    let rigid = 0;
    let elastic = 0;
    for (const seed of [3, 17, 29]) {
      const a = randomSet(seed, 45, 360, 400);
      // the far minutiae move 20-40 px: out of the rigid tolerance, not of the predicted one
      const [m, n] = pairCounts(a, plastic(a, 0.15, 20, -10));
      expect(n).toBeGreaterThanOrEqual(m);
      rigid += m;
      elastic += n;
    }
    expect(rigid).toBeLessThan(0.5 * 3 * 45);
    expect(elastic).toBeGreaterThan(1.25 * rigid);
  });

  it('a distorted copy matches through compare()', () => {
    const a = randomSet(41, 45, 360, 400);
    expect(compare(a, plastic(a, 0.25, 30, -20))).toBeGreaterThan(DEFAULT_THRESHOLD);
  });

  it('does not gain pairs between unrelated sets: chance pairs have no smooth field', () => {
    let rigid = 0;
    let elastic = 0;
    for (let seed = 100; seed < 130; seed++) {
      const [m, n] = pairCounts(randomSet(seed, 40), randomSet(seed + 1000, 40));
      rigid += m;
      elastic += n;
    }
    expect(elastic).toBeLessThanOrEqual(rigid * 1.1);
  });

  it('scores 0 for degenerate input and never throws', () => {
    const a = randomSet(5, 30);
    const empty: MinutiaeSet = { ...a, minutiae: [] };
    const one: MinutiaeSet = { ...a, minutiae: a.minutiae.slice(0, 1) };
    const stacked: MinutiaeSet = { ...a, minutiae: a.minutiae.map((m) => ({ ...m, x: 50, y: 50 })) };
    const broken: MinutiaeSet = {
      ...a,
      minutiae: a.minutiae.map((m, i) => (i % 2 ? { ...m, x: Number.NaN } : { ...m, angle: Infinity })),
    };
    for (const [p, c] of [
      [a, empty],
      [empty, a],
      [a, one],
      [one, one],
      [broken, a],
      [a, broken],
    ] as const) {
      expect(compare(p, c)).toBe(0);
    }
    for (const s of [compare(a, stacked), compare(stacked, a), compare(stacked, stacked)]) {
      expect(Number.isFinite(s) && s >= 0 && s <= 1).toBe(true);
    }
    // fewer than 2 pairs: nothing to predict from
    const p = prepareTemplate(a);
    const pairing = new Pairing(p);
    const elastic = new ElasticPairing(p, pairing.grid);
    expect(elastic.run(prepareTemplate(a), identity, pairing.keptP, pairing.keptC, 1, 2, 0, 0)).toBe(0);
    expect(elastic.weight).toBe(0);
  });
});
