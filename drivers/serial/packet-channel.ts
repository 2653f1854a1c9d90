/**
 * Request/response over a SerialTransport with an incremental protocol reader (Grow, GT-521):
 * bytes from the port go into the reader, and `receive` waits for the next event the reader
 * produces, with a timeout, cancellation, and SENSOR_REMOVED when the port closes under it.
 */
import { BridgeError } from '../../protocols/errors.ts';
import type { SerialTransport } from './types.ts';

export interface IncrementalReader<E> {
  push(chunk: Uint8Array): void;
  next(): E | null;
  reset(): void;
}

export class PacketChannel<E> {
  private waiter: { wake: () => void } | null = null;
  private closedError: BridgeError | null = null;

  constructor(
    readonly transport: SerialTransport,
    readonly reader: IncrementalReader<E>,
  ) {
    transport.on('data', (chunk) => {
      this.reader.push(chunk);
      this.waiter?.wake();
    });
    transport.on('closed', (unexpected) => {
      this.closedError = unexpected
        ? new BridgeError('SENSOR_REMOVED', `serial port ${transport.path} went away`)
        : new BridgeError('NO_SENSOR', `serial port ${transport.path} is closed`);
      this.waiter?.wake();
    });
  }

  /** Drops anything unread (a late reply to a cancelled request) and sends `bytes`. */
  async send(bytes: Uint8Array): Promise<void> {
    if (this.closedError) throw this.closedError;
    this.reader.reset();
    try {
      await this.transport.write(bytes);
    } catch (e) {
      throw (
        this.closedError ??
        new BridgeError('SENSOR_REMOVED', `write to ${this.transport.path} failed`, undefined, { cause: e })
      );
    }
  }

  /**
   * Waits for the next reader event. `timeoutMs` bounds the silence: it restarts whenever bytes
   * arrive, so a long upload at a slow baud rate is not cut off while it is still flowing.
   */
  receive(timeoutMs: number, signal?: AbortSignal): Promise<E> {
    return new Promise<E>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        this.waiter = null;
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => finish(() => reject(new BridgeError('CANCELLED')));
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new BridgeError(
                  'TIMEOUT',
                  `no reply from the sensor on ${this.transport.path} within ${timeoutMs} ms`,
                ),
              ),
            ),
          timeoutMs,
        );
      };
      const check = () => {
        let event: E | null;
        try {
          event = this.reader.next();
        } catch (e) {
          finish(() => reject(e));
          return;
        }
        if (event !== null) finish(() => resolve(event as E));
        else if (this.closedError) finish(() => reject(this.closedError));
        else arm();
      };
      if (signal?.aborted) {
        reject(new BridgeError('CANCELLED'));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = { wake: check };
      check();
    });
  }
}
