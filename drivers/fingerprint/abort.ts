/**
 * Deadlines and cancellation shared by the sensor drivers, turned into the error vocabulary:
 * an aborted signal is CANCELLED, a passed deadline is whatever the caller says it means.
 */
import { BridgeError, type ErrorCode } from '../../protocols/errors.ts';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BridgeError('CANCELLED');
}

/** Waits `ms`, rejecting with CANCELLED as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new BridgeError('CANCELLED'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BridgeError('CANCELLED'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A point in time after which polling loops give up with `code`. */
export class Deadline {
  private readonly at: number;

  constructor(
    ms: number,
    private readonly code: ErrorCode,
    private readonly message?: string,
  ) {
    this.at = Date.now() + ms;
  }

  get remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  get passed(): boolean {
    return Date.now() >= this.at;
  }

  check(): void {
    if (this.passed) throw new BridgeError(this.code, this.message);
  }
}
