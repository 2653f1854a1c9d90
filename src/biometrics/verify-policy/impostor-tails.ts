import type { Impression } from '../eval/protocol.ts';
import shippedTails from './impostor-tails.json' with { type: 'json' };

/**
 * The measured impostor side of the verify policy (docs/matching.md "Verify policy"): for k = 1..K,
 * the highest sums of k consecutive impostor scores against one card template, as one impostor
 * call accumulates them attempt after attempt. `npm run eval:thresholds` measures them and writes
 * impostor-tails.json beside this file; the policy reads its per-stage thresholds from there, so a
 * re-run after a matcher change updates the policy. No constants of the policy's own.
 */
export interface ImpostorTails {
  /** how many impostor sequences each list was taken from (the same for every k) */
  sequences: number;
  /** sums[k - 1]: the highest sums of k consecutive impostor scores, descending */
  sums: number[][];
}

/** impostor-tails.json: one ImpostorTails per way of comparing (eval's mode names). */
export interface ImpostorTailsFile {
  about: string;
  /** ISO date of the measurement */
  measured: string;
  modes: Record<string, ImpostorTails>;
}

/**
 * Every impostor sequence of a set: a card template (any impression of finger F) meets another
 * finger G's impressions from each starting impression, in rotation, k at a time (k = 1..kMax).
 * Returns all sums for each k (not yet cut to the tail). `score(live, card)` is one comparison.
 */
export function impostorSums(
  list: readonly Impression[],
  score: (live: Impression, card: Impression) => number,
  kMax: number,
): number[][] {
  const fingers = new Map<string, Impression[]>();
  for (const imp of list) fingers.set(imp.finger, [...(fingers.get(imp.finger) ?? []), imp]);
  const out: number[][] = Array.from({ length: kMax }, () => []);
  for (const card of list) {
    for (const [finger, live] of fingers) {
      if (finger === card.finger) continue;
      rotationSums(
        live.map((l) => score(l, card)),
        kMax,
        (k, sum) => out[k - 1].push(sum),
      );
    }
  }
  return out;
}

/**
 * One impostor finger's scores against one card, its impressions in order: for each starting
 * impression (a rotation, one sequence), the sums of its first k = 1..kMax scores.
 */
function rotationSums(scores: ArrayLike<number>, kMax: number, emit: (k: number, sum: number) => void): void {
  for (let start = 0; start < scores.length; start++) {
    let sum = 0;
    for (let k = 1; k <= kMax; k++) {
      sum += scores[(start + k - 1) % scores.length];
      emit(k, sum);
    }
  }
}

/**
 * The `keep` highest values, descending, rounded UP to 1e-4 (a threshold taken from a rounded-up
 * impostor score is never below the true one).
 */
export function tailOf(values: readonly number[], keep: number): number[] {
  return [...values]
    .sort((a, b) => b - a)
    .slice(0, keep)
    .map((v) => Math.ceil(v * 1e4 - 1e-6) / 1e4);
}

/** Impostor sums kept per k in the file at least: for FVC2002's 23,040 sequences a per-stage FMR up to about 1 %. */
export const TAIL_KEEP = 256;

/**
 * How many of the highest sums a file keeps per k for `sequences` measured: enough for any per-stage
 * rate up to 0.1 % (a larger rate reads the lowest kept sum: stricter, never looser), at least TAIL_KEEP.
 */
export function tailKeep(sequences: number): number {
  return Math.max(TAIL_KEEP, Math.floor(sequences * 0.001) + 1);
}

/** One mode's tails from all its sums (impostorSums), as the file keeps them. */
export function tailsOf(sums: readonly number[][]): ImpostorTails {
  const sequences = sums[0]?.length ?? 0;
  return { sequences, sums: sums.map((k) => tailOf(k, tailKeep(sequences))) };
}

/**
 * The same tails gathered one impostor finger-against-card at a time, keeping only the highest sums
 * (a min-heap per k), for sets too large to hold every sum (eval --tails-out on the agency's prints).
 * `sequences` is how many rotations will be added: it sets how many sums are kept.
 */
export class TailCollector {
  private readonly heaps: number[][];
  private readonly keep: number;
  private added = 0;

  constructor(
    private readonly kMax: number,
    private readonly sequences: number,
  ) {
    this.keep = tailKeep(sequences);
    this.heaps = Array.from({ length: kMax }, () => []);
  }

  /**
   * One impostor finger's scores against one card template, its impressions in order: every
   * rotation (one per starting impression) adds its sums of k = 1..kMax consecutive scores, as
   * impostorSums does.
   */
  addRotations(scores: ArrayLike<number>): void {
    rotationSums(scores, this.kMax, (k, sum) => pushTop(this.heaps[k - 1], sum, this.keep));
    this.added += scores.length;
  }

  tails(): ImpostorTails {
    if (this.added !== this.sequences)
      throw new RangeError(`${this.added} impostor sequences added, ${this.sequences} announced`);
    return { sequences: this.added, sums: this.heaps.map((h) => tailOf(h, this.keep)) };
  }
}

/** Keeps the `keep` highest values in `heap` (a min-heap: the lowest kept value at the root). */
function pushTop(heap: number[], v: number, keep: number): void {
  if (heap.length < keep) {
    heap.push(v);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent] <= heap[i]) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
    return;
  }
  if (v <= heap[0]) return;
  heap[0] = v;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    const r = l + 1;
    let least = i;
    if (l < heap.length && heap[l] < heap[least]) least = l;
    if (r < heap.length && heap[r] < heap[least]) least = r;
    if (least === i) break;
    [heap[least], heap[i]] = [heap[i], heap[least]];
    i = least;
  }
}

/**
 * The lowest score sum accepted at false-match rate `fmr` for sums of `k`: with N sequences, at most
 * floor(fmr * N) impostor sums may reach it, so it lies just above the next one. When the rate needs
 * more of the tail than the file kept, the lowest kept sum is used: stricter than asked, never looser.
 */
export function sumThreshold(tails: ImpostorTails, k: number, fmr: number): number {
  const list = tails.sums[k - 1];
  if (!list) throw new RangeError(`no impostor sums of ${k} attempts were measured`);
  const allowed = Math.floor(fmr * tails.sequences + 1e-9);
  return list[Math.min(allowed, list.length - 1)] + 1e-4;
}

/** The tails measured for the shipped matcher (impostor-tails.json, written by eval:thresholds). */
export function loadImpostorTails(): ImpostorTailsFile {
  return shippedTails as ImpostorTailsFile;
}

/** A tails file as impostor-tails.json is laid out: one line per list of sums, so a re-measurement reads as a short diff. */
export function impostorTailsText(tails: ImpostorTailsFile): string {
  const json = JSON.stringify(tails, null, 1).replace(
    /\[\s+([-\d.,\s]+?)\s+\]/g,
    (_, xs: string) => `[${xs.replace(/\s+/g, '')}]`,
  );
  return `${json}\n`;
}
