/**
 * The FVC protocol as pure functions over file names (datasets/fvc2002-b/SOURCE.md): impressions are
 * named `<finger>_<impression>.<ext>`; genuine pairs are all impression pairs of one finger (28 for 8
 * impressions); impostor pairs are all impression pairs of two different fingers (45 finger pairs x 64
 * = 2,880 for 10 fingers of 8).
 */
export interface Impression {
  /** file name without extension, e.g. "101_3" */
  readonly id: string;
  readonly finger: string;
  readonly impression: number;
}

export interface Pair {
  readonly a: Impression;
  readonly b: Impression;
}

const NAME = /^([0-9A-Za-z]+)_([0-9]+)\.([A-Za-z0-9]+)$/;

/**
 * Order of finger ids: numerically when both are numbers (FVC2004's 1..100 as 1, 2, ..., 10, not 1,
 * 10, 100, 11), else as strings. "Paired in id order" (transactions.ts) depends on it.
 */
export function compareFingerIds(a: string, b: string): number {
  const numeric = /^[0-9]+$/;
  if (numeric.test(a) && numeric.test(b) && Number(a) !== Number(b)) return Number(a) - Number(b);
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Impressions found among `fileNames` with extension `ext` (case-insensitive), sorted by finger, impression. */
export function listImpressions(fileNames: readonly string[], ext: string): Impression[] {
  const out: Impression[] = [];
  for (const name of fileNames) {
    const m = NAME.exec(name);
    if (!m || m[3].toLowerCase() !== ext.toLowerCase()) continue;
    out.push({ id: `${m[1]}_${m[2]}`, finger: m[1], impression: Number(m[2]) });
  }
  return out.sort(compareImpressions);
}

/** By finger (compareFingerIds), then impression number. */
export function compareImpressions(x: Impression, y: Impression): number {
  return x.finger === y.finger ? x.impression - y.impression : compareFingerIds(x.finger, y.finger);
}

/** The impressions of each finger, fingers and impressions in the order they come in `list`. */
export function byFinger(list: readonly Impression[]): Impression[][] {
  const groups = new Map<string, Impression[]>();
  for (const imp of list) {
    const g = groups.get(imp.finger);
    if (g) g.push(imp);
    else groups.set(imp.finger, [imp]);
  }
  return [...groups.values()];
}

/** All pairs (i < j) of impressions of the same finger. */
export function genuinePairs(list: readonly Impression[]): Pair[] {
  const out: Pair[] = [];
  for (const g of byFinger(list)) {
    for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) out.push({ a: g[i], b: g[j] });
  }
  return out;
}

/** Every impression of finger f against every impression of finger g, for each finger pair f < g. */
export function impostorPairs(list: readonly Impression[]): Pair[] {
  const groups = byFinger(list);
  const out: Pair[] = [];
  for (let f = 0; f < groups.length; f++) {
    for (let g = f + 1; g < groups.length; g++) {
      for (const a of groups[f]) for (const b of groups[g]) out.push({ a, b });
    }
  }
  return out;
}
