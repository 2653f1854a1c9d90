import { normalizeAngle, quantizeAngle } from './angles.ts';
import { candidateBucket } from './edge-index.ts';
import {
  EDGE_CANDIDATE_NEIGHBOURS,
  EDGE_MAX_LENGTH,
  EDGE_MAX_NEIGHBOURS,
  EDGE_MIN_LENGTH,
} from './params.ts';

/**
 * Directed edges from each minutia to its nearest neighbours: the local structure of Jiang & Yau
 * (2000) reduced to pairs. Each edge carries what survives rotation and translation (length, its
 * direction and the target's direction relative to the origin minutia) and, for the Hough stage,
 * what does not (its absolute direction and its midpoint).
 */
export interface Edges {
  /** all directed edges: both directions of each neighbour link */
  readonly edgeCount: number;
  /**
   * edges [0, forwardEdgeCount) go from lower to higher index; the rest are their reverses. The
   * probe indexes all edges, a candidate scans forward edges only: every correspondence is still
   * found (once, not twice) at half the candidate-side cost.
   */
  readonly forwardEdgeCount: number;
  /**
   * forward edges [0, candidateEdgeCount) link minutiae within EDGE_CANDIDATE_NEIGHBOURS of each
   * other: the only ones a candidate scans. The probe indexes the wider EDGE_MAX_NEIGHBOURS links
   * too, so that a candidate edge is still found when the probe's extraction added or lost a
   * minutia in between (another extractor, a dry print), without the impostor votes that scanning
   * the wide links on both sides would add.
   */
  readonly candidateEdgeCount: number;
  readonly edgeFrom: Uint8Array;
  readonly edgeTo: Uint8Array;
  readonly edgeLength: Float64Array;
  /** direction of the edge relative to the origin minutia's direction, 1/256 turns */
  readonly edgeDirectionQ: Uint8Array;
  /** direction of the target minutia relative to the origin minutia's, 1/256 turns */
  readonly edgeRelAngleQ: Uint8Array;
  /** absolute direction of the edge vector, 1/256 turns: rotation estimates come from this */
  readonly edgeAbsQ: Uint8Array;
  /** midpoint of the edge, relative to the template's centroid */
  readonly edgeMidX: Float64Array;
  readonly edgeMidY: Float64Array;
  /** edge-hash bucket (edge-index.ts), precomputed for the candidate side */
  readonly edgeBucket: Int32Array;
}

export function buildEdges(
  x: Float64Array,
  y: Float64Array,
  angle: Float64Array,
  centroidX: number,
  centroidY: number,
): Edges {
  const n = x.length;
  // Undirected neighbour relation: j is i's neighbour or i is j's (the union of the k-NN lists), so
  // that both directions of every edge exist and the candidate side can scan one direction only.
  const linked = new Uint8Array(n * n);
  const dist = new Float64Array(n);
  // the K nearest within range, kept sorted by insertion (K is small: no general sort needed)
  const nearest = new Int32Array(EDGE_MAX_NEIGHBOURS);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = x[j] - x[i];
      const dy = y[j] - y[i];
      const d = Math.sqrt(dx * dx + dy * dy);
      dist[j] = d;
      if (d < EDGE_MIN_LENGTH || d > EDGE_MAX_LENGTH) continue;
      if (k === EDGE_MAX_NEIGHBOURS && d >= dist[nearest[k - 1]]) continue;
      let pos = k < EDGE_MAX_NEIGHBOURS ? k++ : k - 1;
      while (pos > 0 && dist[nearest[pos - 1]] > d) {
        nearest[pos] = nearest[pos - 1];
        pos--;
      }
      nearest[pos] = j;
    }
    for (let t = 0; t < k; t++) {
      // 2 = a close link (candidate side), 1 = a wide one (probe side only); the closer wins
      const level = t < EDGE_CANDIDATE_NEIGHBOURS ? 2 : 1;
      const a = i * n + nearest[t];
      const b = nearest[t] * n + i;
      if (linked[a] < level) linked[a] = linked[b] = level;
    }
  }
  const from: number[] = [];
  let candidateCount = 0;
  const to: number[] = [];
  // forward edges (i < j) first, close links before wide ones, then their reverses
  for (let level = 2; level >= 1; level--) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (linked[i * n + j] === level) {
          from.push(i);
          to.push(j);
        }
      }
    }
    if (level === 2) candidateCount = from.length;
  }
  const forwardCount = from.length;
  for (let q = 0; q < forwardCount; q++) {
    from.push(to[q]);
    to.push(from[q]);
  }
  const count = from.length;
  const edgeFrom = Uint8Array.from(from);
  const edgeTo = Uint8Array.from(to);
  const edgeLength = new Float64Array(count);
  const edgeDirectionQ = new Uint8Array(count);
  const edgeRelAngleQ = new Uint8Array(count);
  const edgeAbsQ = new Uint8Array(count);
  const edgeMidX = new Float64Array(count);
  const edgeMidY = new Float64Array(count);
  const edgeBucket = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    const i = from[e];
    const j = to[e];
    const abs = Math.atan2(y[j] - y[i], x[j] - x[i]);
    const dx = x[j] - x[i];
    const dy = y[j] - y[i];
    edgeLength[e] = Math.sqrt(dx * dx + dy * dy);
    edgeDirectionQ[e] = quantizeAngle(normalizeAngle(abs - angle[i]));
    edgeRelAngleQ[e] = quantizeAngle(normalizeAngle(angle[j] - angle[i]));
    edgeAbsQ[e] = quantizeAngle(abs);
    edgeMidX[e] = (x[i] + x[j]) / 2 - centroidX;
    edgeMidY[e] = (y[i] + y[j]) / 2 - centroidY;
    edgeBucket[e] = candidateBucket(edgeLength[e], edgeDirectionQ[e], edgeRelAngleQ[e]);
  }
  return {
    edgeCount: count,
    forwardEdgeCount: forwardCount,
    candidateEdgeCount: candidateCount,
    edgeFrom,
    edgeTo,
    edgeLength,
    edgeDirectionQ,
    edgeRelAngleQ,
    edgeAbsQ,
    edgeMidX,
    edgeMidY,
    edgeBucket,
  };
}
