import { MCC_MAX_ROTATION } from '../params.ts';
import type { PreparedTemplate } from '../prepare.ts';
import { Consolidation, PairGeometry } from './consolidation.ts';
import { buildCylinders, type Cylinders } from './cylinders.ts';
import { localSimilarities } from './local-similarity.ts';

export { buildCylinders, type Cylinders } from './cylinders.ts';

/**
 * Cylinders are built on a template's first MCC comparison and kept with its prepared form, so a card
 * template or gallery entry pays once (as preparedFor does for the prepared form itself).
 */
const cylinders = new WeakMap<PreparedTemplate, Cylinders>();

export function cylindersFor(t: PreparedTemplate): Cylinders {
  let c = cylinders.get(t);
  if (!c) {
    c = buildCylinders(t);
    cylinders.set(t, c);
  }
  return c;
}

/**
 * Minutia Cylinder-Code score of one probe against any number of candidates, in [0, 1] (Cappelli,
 * Ferrara & Maltoni, TPAMI 2010): bit cylinders, local similarity matrix, LSS-R consolidation.
 */
export class MccMatcher {
  private readonly p: PreparedTemplate;
  private readonly pc: Cylinders;
  private lsm: Float64Array = new Float64Array(0);
  private readonly consolidation = new Consolidation();
  /** the probe's half of the pair compatibilities, filled as comparisons need it */
  private geometry: PairGeometry | undefined;

  constructor(probe: PreparedTemplate) {
    this.p = probe;
    this.pc = cylindersFor(probe);
  }

  /**
   * (cosR, sinR): the rotation from the candidate's frame to the probe's, when an alignment has found
   * it (the fused score passes the Hough stage's); without it, impressions are assumed turned by less
   * than δθ (MCC_MAX_ROTATION), as in the paper. `maxTurn` replaces δθ (a tighter one once the turn
   * is known).
   */
  score(c: PreparedTemplate, cosR = 1, sinR = 0, maxTurn = MCC_MAX_ROTATION): number {
    const cc = cylindersFor(c);
    if (this.pc.count === 0 || cc.count === 0) return 0;
    this.lsm = localSimilarities(this.pc, cc, this.lsm, cosR, sinR, Math.cos(maxTurn));
    this.geometry ??= new PairGeometry(this.p, this.pc);
    return Math.min(1, this.consolidation.score(this.p, this.pc, c, cc, this.lsm, this.geometry));
  }
}
