/**
 * How the threads of one 1:N call share a gallery: it is cut into fixed chunks, and each thread
 * claims chunks through a flag array in shared memory (Atomics), so a thread slowed by other work
 * (an extraction, another process on a 2-core PC) simply ends up doing fewer chunks.
 *
 * Preparing a gallery entry costs about 8 times what scoring it does, and each worker keeps the
 * entries it prepared. So a thread first takes the chunks it already holds prepared, then chunks
 * nobody holds, and takes another thread's chunk only while enough chunks are left that preparing it
 * still finishes the call sooner. Which thread prepared a chunk first is kept per gallery (`owners`),
 * so in steady state each thread scores its own part and nothing is prepared twice.
 *
 * Pure shared-memory bookkeeping: no I/O, no timers. Main side: newChunkPlan / cancelChunks; worker
 * side: runChunks.
 */

export interface ChunkPlan {
  /** gallery entries */
  count: number;
  chunkSize: number;
  /** per chunk, for this call: 0 = free, 1 = taken (or the call was cancelled) */
  claims: Int32Array;
  /** per chunk, kept across calls: id + 1 of the first thread that prepared it, 0 = nobody yet */
  owners: Int32Array;
  /** [0] = threads of this call that have not finished their scan yet */
  remaining: Int32Array;
}

/** Below this many free chunks, a chunk another thread holds prepared is left to that thread. */
const STEAL_MIN_FREE = 8;

const shared = (n: number): Int32Array =>
  new Int32Array(new SharedArrayBuffer(Math.max(1, n) * Int32Array.BYTES_PER_ELEMENT));

export function chunkCount(count: number, chunkSize: number): number {
  return Math.ceil(count / chunkSize);
}

/** The owners array of a gallery: allocate once per gallery and pass it to every call's plan. */
export function newOwners(count: number, chunkSize: number): Int32Array {
  return shared(chunkCount(count, chunkSize));
}

export function newChunkPlan(
  count: number,
  chunkSize: number,
  owners: Int32Array,
  threads: number,
): ChunkPlan {
  const remaining = shared(1);
  remaining[0] = threads;
  return { count, chunkSize, claims: shared(chunkCount(count, chunkSize)), owners, remaining };
}

/** Threads stop at their next chunk boundary. */
export function cancelChunks(plan: ChunkPlan): void {
  for (let c = 0; c < plan.claims.length; c++) Atomics.store(plan.claims, c, 1);
}

/**
 * Worker side: visit(from, to) every chunk this thread wins. `me` identifies the thread (> 0);
 * `holds(chunk)` says whether this thread has the chunk prepared. Every chunk is visited exactly
 * once per call over all threads, provided all `threads` of the plan run this (the last one to
 * finish takes whatever the others left).
 */
export function runChunks(
  plan: ChunkPlan,
  me: number,
  holds: (chunk: number) => boolean,
  visit: (from: number, to: number) => void,
): void {
  const { claims, owners, chunkSize, count } = plan;
  const n = claims.length;
  const run = (c: number): void => {
    visit(c * chunkSize, Math.min(count, (c + 1) * chunkSize));
    Atomics.compareExchange(owners, c, 0, me);
  };
  const take = (c: number): boolean => Atomics.compareExchange(claims, c, 0, 1) === 0;
  const free = (): number => {
    let k = 0;
    for (let c = 0; c < n; c++) if (Atomics.load(claims, c) === 0) k++;
    return k;
  };
  // 1. what this thread holds prepared: scoring only
  for (let c = 0; c < n; c++) if (holds(c) && take(c)) run(c);
  // 2. from the far end (the others walk upwards through their own chunks): chunks nobody
  //    prepared, and others' chunks while there is enough left to be worth preparing them
  for (let c = n - 1; c >= 0; c--) {
    if (Atomics.load(claims, c) !== 0) continue;
    const owner = Atomics.load(owners, c);
    if (owner !== 0 && owner !== me && free() < STEAL_MIN_FREE) continue;
    if (take(c)) run(c);
  }
  // 3. the last thread out takes what was left for an owner that never came (busy elsewhere, or
  //    the same thread ran two of this call's tasks one after the other)
  if (Atomics.sub(plan.remaining, 0, 1) === 1) for (let c = 0; c < n; c++) if (take(c)) run(c);
}
