import { angleToleranceTable } from './angles.ts';
import { buildEdgeIndex, type EdgeIndex } from './edge-index.ts';
import { ElasticPairing } from './elastic.ts';
import { type Alignment, HoughAccumulator } from './hough.ts';
import { MccMatcher } from './mcc/index.ts';
import { Pairing, type Rigid } from './pairing.ts';
import {
  EDGE_ANGLE_TOLERANCE,
  EDGE_LENGTH_TOLERANCE_ABS,
  EDGE_LENGTH_TOLERANCE_REL,
  ELASTIC_MAX_SCORE,
  ELASTIC_MIN_PAIRS,
  ELASTIC_MIN_SCORE,
  ELASTIC_ROUNDS,
  MCC_ALIGNED_MAX_TURN,
  PEAK_COUNT,
  REFIT_MIN_PAIRS,
  SCORE_MODE,
} from './params.ts';
import type { PreparedTemplate } from './prepare.ts';
import { fuseScores, overlapScore } from './score.ts';

const EDGE_ANGLE_OK = angleToleranceTable(EDGE_ANGLE_TOLERANCE);

/**
 * Compares one probe against any number of candidates. Everything that depends only on the probe
 * (edge hash, Hough accumulator, spatial grid) and every scratch buffer is made here once, so `score`
 * allocates nothing: the 1:N loop of the worker pool is this object's `score` over a gallery.
 *
 * Three stages (docs/matching.md):
 * 1. local: candidate edges are looked up in the probe's edge hash; each pair of edges that agree in
 *    length and in both relative angles is a local match (Jiang & Yau 2000, Germain et al. 1997);
 * 2. alignment: every local match votes for a rotation and translation (Hough transform, Ratha et
 *    al. 1996); the strongest, distinct peaks are the alignments worth checking;
 * 3. global: under each alignment minutiae are paired one-to-one with a distortion-tolerant
 *    tolerance, the best alignment is re-fitted by least squares and paired again, and the pair
 *    count becomes an overlap-normalised score.
 */
export class ProbeMatcher {
  private readonly p: PreparedTemplate;
  private readonly index: EdgeIndex;
  private readonly hough: HoughAccumulator;
  private readonly pairing: Pairing;
  private readonly elastic: ElasticPairing;
  private readonly peaks: Alignment[] = Array.from({ length: PEAK_COUNT }, () => ({
    cos: 1,
    sin: 0,
    tx: 0,
    ty: 0,
    anchorX: 0,
    anchorY: 0,
    votes: 0,
  }));
  private readonly t: Rigid = { cos: 1, sin: 0, tx: 0, ty: 0 };
  private readonly best: Rigid = { cos: 1, sin: 0, tx: 0, ty: 0 };
  private readonly centre = { x: 0, y: 0 };
  /** the MCC side, made on the first fused comparison (its probe cylinders cost ~2 ms) */
  private mcc: MccMatcher | undefined;
  private readonly parts = { score: 0, hough: 0, mcc: 0 };

  constructor(probe: PreparedTemplate) {
    this.p = probe;
    this.index = buildEdgeIndex(probe);
    this.hough = new HoughAccumulator(probe);
    this.pairing = new Pairing(probe);
    this.elastic = new ElasticPairing(probe, this.pairing.grid);
  }

  get probe(): PreparedTemplate {
    return this.p;
  }

  /** The alignment (candidate frame -> probe frame) of the last houghScore that returned above 0. */
  get lastAlignment(): Readonly<Rigid> {
    return this.best;
  }

  /**
   * Similarity in [0, 1]; 0 when there is nothing to compare. With SCORE_MODE 'fused' (params.ts) the
   * Hough score below fused with the Minutia Cylinder-Code score (score.ts, fuseScores).
   */
  score(c: PreparedTemplate): number {
    return this.computeParts(c).score;
  }

  /**
   * The score and the two it is fused from (for diagnosis: test/bench/match/weak-card.ts); `mcc` is
   * NaN under SCORE_MODE 'hough'.
   */
  scoreParts(c: PreparedTemplate): { score: number; hough: number; mcc: number } {
    return { ...this.computeParts(c) };
  }

  /** One comparison into this.parts (reused: no allocation per comparison in a 1:N scan). */
  private computeParts(c: PreparedTemplate): { score: number; hough: number; mcc: number } {
    const parts = this.parts;
    const h = this.houghScore(c);
    parts.hough = h;
    if (SCORE_MODE === 'hough') {
      parts.mcc = Number.NaN;
      parts.score = h;
      return parts;
    }
    this.mcc ??= new MccMatcher(this.p);
    // MCC's direction test (δθ) is made relative to the turn the Hough stage found, so the fused
    // score keeps the Hough score's invariance to any rotation; when the Hough stage found no
    // alignment (strong distortion), MCC alone judges, with the paper's assumption of a small turn
    const m =
      h > 0 ? this.mcc.score(c, this.best.cos, this.best.sin, MCC_ALIGNED_MAX_TURN) : this.mcc.score(c);
    parts.mcc = m;
    parts.score = fuseScores(h, m);
    return parts;
  }

  /** The edge-hash / Hough / pairing score alone (SCORE_MODE 'hough'). */
  houghScore(c: PreparedTemplate): number {
    if (this.p.count < 2 || c.count < 2) return 0;
    this.vote(c);
    const peaks = this.hough.peaks(this.p, c, this.peaks);
    this.hough.reset();
    const t = this.t;
    const best = this.best;
    let bestCount = 0;
    let bestWeight = 0;
    for (let k = 0; k < peaks; k++) {
      const a = this.peaks[k];
      // the Hough transform moves the candidate's centroid; make it a transform of raw coordinates
      t.cos = a.cos;
      t.sin = a.sin;
      t.tx = a.tx - (a.cos * c.centroidX - a.sin * c.centroidY);
      t.ty = a.ty - (a.sin * c.centroidX + a.cos * c.centroidY);
      const m = this.pairing.pairUp(c, t, a.anchorX, a.anchorY);
      if (m > bestCount) {
        bestCount = m;
        bestWeight = this.pairing.weight;
        copy(t, best);
        this.pairing.keepPairs(m);
      }
    }
    if (bestCount === 0) return 0;
    if (bestCount >= REFIT_MIN_PAIRS) {
      // The Hough cell pins rotation to a few degrees, which moves far minutiae by more than the
      // tolerance: re-fit to the pairs found and pair again around their centre.
      this.pairing.fitRigid(c, bestCount, t);
      this.pairing.pairedCentroid(bestCount, this.centre);
      const m2 = this.pairing.pairUp(c, t, this.centre.x, this.centre.y);
      if (m2 >= bestCount) {
        bestCount = m2;
        bestWeight = this.pairing.weight;
        copy(t, best);
        this.pairing.keepPairs(m2);
      }
    }
    const rigid = overlapScore(this.p, c, bestWeight, best.cos, best.sin, best.tx, best.ty);
    if (
      ELASTIC_MIN_PAIRS === 0 ||
      bestCount < Math.max(ELASTIC_MIN_PAIRS, REFIT_MIN_PAIRS) ||
      rigid < ELASTIC_MIN_SCORE ||
      rigid >= ELASTIC_MAX_SCORE
    ) {
      return rigid;
    }
    // Distortion moves far minutiae out of any rigid tolerance: pair again around positions
    // predicted from the neighbours' displacements (elastic.ts), with the tolerance growing from
    // the centre of the pairs the re-fit used (this.centre, set above since the re-fit ran).
    this.elastic.run(
      c,
      best,
      this.pairing.keptP,
      this.pairing.keptC,
      bestCount,
      ELASTIC_ROUNDS,
      this.centre.x,
      this.centre.y,
    );
    // the better of the two: replacing the rigid weight outright lost genuine pairs on clean prints
    if (this.elastic.weight <= bestWeight) return rigid;
    return overlapScore(this.p, c, this.elastic.weight, best.cos, best.sin, best.tx, best.ty);
  }

  /** Local stage: every pair of similar edges votes for the transform that maps one onto the other. */
  private vote(c: PreparedTemplate): void {
    const p = this.p;
    const { bucketStart, entries, entryLength, entryDirectionQ, entryRelAngleQ } = this.index;
    const hough = this.hough;
    for (let e = 0; e < c.candidateEdgeCount; e++) {
      const b = c.edgeBucket[e];
      const end = bucketStart[b + 1];
      const len = c.edgeLength[e];
      const dirQ = c.edgeDirectionQ[e];
      const relQ = c.edgeRelAngleQ[e];
      const lenTol = EDGE_LENGTH_TOLERANCE_ABS + EDGE_LENGTH_TOLERANCE_REL * len;
      for (let q = bucketStart[b]; q < end; q++) {
        // one branch instead of three: most entries fail one test or another at random, and
        // mispredicted branches, not arithmetic, are what this loop costs
        const ok =
          (Math.abs(entryLength[q] - len) <= lenTol ? 1 : 0) &
          EDGE_ANGLE_OK[(entryDirectionQ[q] - dirQ) & 255] &
          EDGE_ANGLE_OK[(entryRelAngleQ[q] - relQ) & 255];
        if (ok !== 0) hough.add(p, entries[q], c, e);
      }
    }
  }
}

function copy(from: Rigid, to: Rigid): void {
  to.cos = from.cos;
  to.sin = from.sin;
  to.tx = from.tx;
  to.ty = from.ty;
}
