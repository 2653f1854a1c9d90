/**
 * The one table of work the matcher pool may run: task name -> module + exported function. Workers
 * import a module the first time one of its tasks arrives, so a module that does not exist yet (or
 * fails to load) only fails the tasks that need it.
 *
 * Entries hold file URLs (not bare paths) because a worker resolves them from piscina's own folder.
 */
export interface TaskEntry {
  /** file URL of the module */
  module: string;
  /** name of the exported function; it receives the task's arguments in order */
  export: string;
}

export type TaskRegistry = Readonly<Record<string, TaskEntry>>;

const here = (relative: string): string => new URL(relative, import.meta.url).href;

export const MATCH_TASKS = {
  /** extractMinutiae(image: GrayImage): ExtractionResult */
  extract: { module: here('../extract/index.ts'), export: 'extractMinutiae' },
  /** compare(probe: MinutiaeSet, candidate: MinutiaeSet): number */
  compare: { module: here('../match/index.ts'), export: 'compare' },
  /** scanGallery(probe: MinutiaeSet, job: ScanJob): number — this thread's share of a 1:N call */
  compareMany: { module: here('./gallery-scan.ts'), export: 'scanGallery' },
  /** warmUp(rounds?: number): number — compiles extraction and matching on a made-up print */
  warmUp: { module: here('./warm-up.ts'), export: 'warmUp' },
} as const satisfies TaskRegistry;

export type MatchTaskName = keyof typeof MATCH_TASKS;
