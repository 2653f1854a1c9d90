/** The matcher worker pool: import MatchPool from here. */
export { type IdentifyOptions, type IdentifyStats, MatchPool, type MatchPoolOptions } from './match-pool.ts';
export { MATCH_TASKS, type MatchTaskName, type TaskEntry, type TaskRegistry } from './task-registry.ts';
export { defaultThreadCount, type PoolStats, WorkerPool, type WorkerPoolOptions } from './worker-pool.ts';
