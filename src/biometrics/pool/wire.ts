/** What crosses between the pool and its workers. */
import type { ErrorCode } from '../../../protocols/errors.ts';

export interface TaskMessage {
  task: string;
  args: unknown[];
}

/** A worker always resolves with one of these; piscina rejects only when the worker itself dies. */
export type TaskEnvelope =
  | { ok: true; value: unknown }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      detail?: Record<string, unknown>;
      /** not a BridgeError: a bug or a module that failed to load; `message` is for the log only */
      foreign?: boolean;
    };
