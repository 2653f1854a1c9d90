/**
 * A fixed-size piscina pool that runs named tasks from a TaskRegistry and speaks BridgeError:
 *   - queue full -> BUSY; caller's signal or shutdown -> CANCELLED;
 *   - a worker that dies (process.exit, uncaught exception, out of memory) -> that job INTERNAL,
 *     piscina starts a replacement, other jobs carry on;
 *   - an error thrown by the task itself keeps its BridgeError code (see worker.ts).
 * Typed arrays in the arguments that own their buffer are moved to the worker, not copied.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { BridgeError } from '../../../protocols/errors.ts';
import type { TaskRegistry } from './task-registry.ts';
import { transferablesOf } from './transfer.ts';
import type { TaskEnvelope, TaskMessage } from './wire.ts';

export interface WorkerPoolOptions {
  /** worker threads, fixed; default: available cores - 1, at least 1 */
  threads?: number;
  /** jobs that may wait for a thread before new ones are refused with BUSY; default threads * 32 */
  maxQueue?: number;
  /** per-worker heap limits; a worker over them dies (its job: INTERNAL) instead of the daemon */
  resourceLimits?: ResourceLimits;
  /** how long close() lets running jobs finish before terminating them; default 30 s */
  closeTimeoutMs?: number;
  /**
   * import the registry's modules as soon as each worker starts (in the background) instead of on
   * each module's first job; the daemon wants this, tests of failure modes usually not. Default false.
   */
  preload?: boolean;
  /** tests only: another worker entry file (e.g. one that fails to start) */
  workerFile?: string;
}

export interface PoolStats {
  threads: number;
  queued: number;
  active: number;
  completed: number;
  failed: number;
}

const WORKER_FILE = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
const DEFAULT_HEAP_MB = 1024;

export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** A task's own BridgeError comes back as it was; any other failure's text stays in `cause` (logs only). */
function fromEnvelope(task: string, e: Extract<TaskEnvelope, { ok: false }>): BridgeError {
  if (e.foreign)
    return new BridgeError(
      'INTERNAL',
      `matcher task '${task}' failed`,
      { task },
      { cause: new Error(e.message) },
    );
  return new BridgeError(e.code, e.message, e.detail);
}

function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export class WorkerPool {
  readonly threads: number;
  private readonly piscina: Piscina<TaskMessage, TaskEnvelope>;
  private readonly pending = new Set<(e: BridgeError) => void>();
  private inFlight = 0;
  private completed = 0;
  private failed = 0;
  private closing: Promise<void> | undefined;
  /** set when no worker can start (piscina then stops trying): every job fails with this */
  private broken: BridgeError | undefined;

  constructor(registry: TaskRegistry, options: WorkerPoolOptions = {}) {
    const threads = options.threads ?? defaultThreadCount();
    if (!(Number.isInteger(threads) && threads >= 1)) {
      throw new BridgeError('INVALID_PARAMS', `pool threads must be a positive integer, not ${threads}`);
    }
    const maxQueue = options.maxQueue ?? threads * 32;
    if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `pool maxQueue must be a non-negative integer, not ${maxQueue}`,
      );
    }
    this.threads = threads;
    this.piscina = new Piscina({
      filename: options.workerFile ?? WORKER_FILE,
      minThreads: threads,
      maxThreads: threads,
      maxQueue,
      concurrentTasksPerWorker: 1,
      // Idle workers wait on their message port rather than in Atomics.wait, so a worker's own
      // timers and its uncaught errors behave as in any Node thread.
      atomics: 'disabled',
      workerData: { registry, preload: options.preload ?? false },
      resourceLimits: options.resourceLimits ?? { maxOldGenerationSizeMb: DEFAULT_HEAP_MB },
      closeTimeout: options.closeTimeoutMs ?? 30_000,
    });
    // A worker that dies with no job on it is reported as an 'error' event (an unhandled one would
    // bring the daemon down). Piscina replaces it, except when workers die while starting: then it
    // gives up and queued jobs would wait forever, so they fail instead.
    this.piscina.on('error', (e: unknown) => {
      if (this.piscina.threads.length > 0 || this.closing) return;
      this.broken = new BridgeError('INTERNAL', 'matcher workers cannot start', undefined, { cause: e });
      for (const cancel of [...this.pending]) cancel(this.broken);
    });
  }

  /**
   * Run `task(...args)` on a worker. Owned typed-array buffers in `args` are moved (detached here).
   * Rejects with BridgeError only.
   */
  async run<R>(task: string, args: unknown[], signal?: AbortSignal): Promise<R> {
    if (this.closing) throw new BridgeError('CANCELLED', 'the matcher pool is shutting down');
    if (signal?.aborted) throw new BridgeError('CANCELLED');
    if (this.broken) throw this.broken;
    this.inFlight++;
    try {
      const envelope = await new Promise<TaskEnvelope>((resolve, reject) => {
        // close() rejects what is still pending after running jobs had their chance (see close()).
        const cancel = (e: BridgeError) => reject(e);
        this.pending.add(cancel);
        this.piscina
          .run({ task, args }, { transferList: transferablesOf(args) as never, signal: signal ?? null })
          .then(resolve, (e: unknown) => reject(this.translate(e)))
          .finally(() => this.pending.delete(cancel));
      });
      if (!envelope.ok) throw fromEnvelope(task, envelope);
      this.completed++;
      return envelope.value as R;
    } catch (e) {
      this.failed++;
      throw e;
    } finally {
      this.inFlight--;
    }
  }

  private translate(e: unknown): BridgeError {
    if (e instanceof BridgeError) return e;
    if (isAbortError(e)) {
      return new BridgeError('CANCELLED', undefined, undefined, { cause: e });
    }
    const message = e instanceof Error ? e.message : String(e);
    if (/queue is at limit|No task queue available/i.test(message)) {
      return new BridgeError('BUSY', 'the matcher pool queue is full', { queued: this.piscina.queueSize });
    }
    if (/Terminating worker thread/.test(message)) {
      return new BridgeError('CANCELLED', 'the matcher pool shut down', undefined, { cause: e });
    }
    // The worker died under the job: exit, uncaught exception or out of memory. Piscina replaces it.
    return new BridgeError('INTERNAL', 'a matcher worker crashed during the job', undefined, { cause: e });
  }

  stats(): PoolStats {
    const queued = this.piscina.queueSize;
    return {
      threads: this.threads,
      queued,
      active: Math.max(0, this.inFlight - queued),
      completed: this.completed,
      failed: this.failed,
    };
  }

  /**
   * Graceful shutdown: new jobs are refused and queued ones rejected with CANCELLED; running jobs
   * finish (up to closeTimeoutMs, then they are cancelled too); then the workers stop.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.piscina.close({ force: true });
      for (const cancel of [...this.pending])
        cancel(new BridgeError('CANCELLED', 'the matcher pool shut down'));
    })();
    return this.closing;
  }
}
