/**
 * The part every simulated UART module shares: it opens its end of the pty through the same
 * SerialTransport the drivers use, feeds received bytes to the protocol reader, handles one
 * request at a time (a real module is single-threaded too), and writes replies through the line
 * pacer so that they take as long as they would at the module's baud rate.
 */
import { openSerialPortTransport } from '../../drivers/serial/serialport-transport.ts';
import type { SerialTransport, SerialTransportFactory } from '../../drivers/serial/types.ts';
import type { FingerControl, ImageSource } from './finger-control.ts';
import { type Clock, LinePacer } from './line-pacer.ts';

export interface SerialModuleOptions {
  /** the module's end of the pty pair (PtyPair.b) */
  path: string;
  images: ImageSource;
  control: FingerControl;
  /** the module's line speed at power-on */
  baudRate?: number;
  /** apply the baud timing model (default true); false for fast tests */
  pacing?: boolean;
  clock?: Clock;
  transportFactory?: SerialTransportFactory;
}

/** the largest piece written at once: big replies flow out progressively, as on a wire */
const WRITE_CHUNK = 512;

export abstract class SerialModuleBase<E> {
  readonly pacer: LinePacer;
  protected transport: SerialTransport | null = null;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** instructions/commands received, in order (for tests) */
  readonly received: number[] = [];

  protected constructor(
    protected readonly options: SerialModuleOptions,
    defaultBaud: number,
    private readonly reader: { push(chunk: Uint8Array): void; next(): E | null },
  ) {
    this.pacer = new LinePacer({
      baudRate: options.baudRate ?? defaultBaud,
      enabled: options.pacing ?? true,
      clock: options.clock,
    });
    options.control.on('unplug', () => void this.stop());
  }

  async start(): Promise<void> {
    const factory = this.options.transportFactory ?? openSerialPortTransport;
    const transport = factory({ path: this.options.path, baudRate: this.pacer.baudRate });
    await transport.open();
    this.transport = transport;
    transport.on('data', (chunk) => {
      this.reader.push(chunk);
      for (let event = this.reader.next(); event !== null; event = this.reader.next()) {
        const e = event;
        this.queue = this.queue.then(() => this.handle(e)).catch(() => undefined);
      }
    });
    transport.on('closed', () => {
      this.stopped = true;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const transport = this.transport;
    this.transport = null;
    if (transport?.isOpen) await transport.close();
  }

  protected abstract handle(event: E): Promise<void>;

  /** Writes reply bytes at the modelled line speed; silently stops once unplugged. */
  protected async send(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length && !this.stopped; offset += WRITE_CHUNK) {
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + WRITE_CHUNK));
      await this.pacer.pace(chunk.length);
      const transport = this.transport;
      if (this.stopped || !transport) return;
      await transport.write(chunk);
    }
  }

  protected takeImage(size: { width: number; height: number; dpi: number; name: string }) {
    return this.options.control.takeImage(this.options.images, size);
  }
}
