/**
 * The one table of work the matcher pool may run: task name -> module + exported function. Workers
 * import a module the first time one of its tasks arrives, so a module that does not exist yet (or
 * fails to load) only fails the tasks that need it.
 *
 * Entries hold file URLs (not bare paths) because a worker resolves them from piscina's own folder.
 * Each is a literal URL relative to this file, written out in full, so that the build (scripts/build.mjs)
 * sees it and points it at the task's compiled entry point in dist/.
 */
export interface TaskEntry {
  /** file URL of the module */
  module: string;
  /** name of the exported function; it receives the task's arguments in order */
  export: string;
}

export type TaskRegistry = Readonly<Record<string, TaskEntry>>;

export const MATCH_TASKS = {
  /** extractMinutiae(image: GrayImage, options?: { parameters }): ExtractionResult */
  extract: { module: new URL('../extract/index.ts', import.meta.url).href, export: 'extractMinutiae' },
  /** compare(probe: MinutiaeSet, candidate: MinutiaeSet): number */
  compare: { module: new URL('../match/index.ts', import.meta.url).href, export: 'compare' },
  /** scanGallery(probe: MinutiaeSet, job: ScanJob): number — this thread's share of a 1:N call */
  compareMany: { module: new URL('./gallery-scan.ts', import.meta.url).href, export: 'scanGallery' },
  /** warmUp(rounds?: number): number — compiles extraction and matching on a made-up print */
  warmUp: { module: new URL('./warm-up.ts', import.meta.url).href, export: 'warmUp' },
} as const satisfies TaskRegistry;

export type MatchTaskName = keyof typeof MATCH_TASKS;
