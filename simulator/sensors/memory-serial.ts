/**
 * Two SerialTransports joined in memory: what one end writes, the other receives (on a later
 * tick, as from a real port). For unit tests of drivers against the simulated modules without
 * socat; it records every write and can pull the plug on both ends.
 */
import { EventEmitter } from 'node:events';
import type {
  SerialOpenOptions,
  SerialTransport,
  SerialTransportEvents,
  SerialTransportFactory,
} from '../../drivers/serial/types.ts';

export class MemorySerialTransport extends EventEmitter<SerialTransportEvents> implements SerialTransport {
  peer: MemorySerialTransport | null = null;
  /** every chunk written by this end, in order */
  readonly written: Uint8Array[] = [];
  private open_ = false;
  private rate: number;

  constructor(
    readonly path: string,
    baudRate: number,
  ) {
    super();
    this.rate = baudRate;
  }

  get baudRate(): number {
    return this.rate;
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.open_) throw new Error(`${this.path} is already open`);
    this.open_ = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new Error(`${this.path} is not open`);
    const copy = bytes.slice();
    this.written.push(copy);
    const peer = this.peer;
    setImmediate(() => {
      if (peer?.open_) peer.emit('data', copy);
    });
  }

  async setBaudRate(baudRate: number): Promise<void> {
    this.rate = baudRate;
  }

  async flushInput(): Promise<void> {}

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.emit('closed', false);
  }

  /** the line goes away under this end */
  drop(): void {
    if (!this.open_) return;
    this.open_ = false;
    this.emit('closed', true, new Error('device disconnected'));
  }
}

export interface MemorySerialPair {
  /** factory for the driver's end (any path) */
  driverFactory: SerialTransportFactory;
  /** factory for the module's end (any path) */
  moduleFactory: SerialTransportFactory;
  /** the ends once created */
  readonly driverEnd: MemorySerialTransport | null;
  readonly moduleEnd: MemorySerialTransport | null;
  unplug(): void;
}

export function memorySerialPair(): MemorySerialPair {
  let driverEnd: MemorySerialTransport | null = null;
  let moduleEnd: MemorySerialTransport | null = null;
  const link = () => {
    if (driverEnd && moduleEnd) {
      driverEnd.peer = moduleEnd;
      moduleEnd.peer = driverEnd;
    }
  };
  return {
    driverFactory: (o: SerialOpenOptions) => {
      driverEnd = new MemorySerialTransport(o.path, o.baudRate);
      link();
      return driverEnd;
    },
    moduleFactory: (o: SerialOpenOptions) => {
      moduleEnd = new MemorySerialTransport(o.path, o.baudRate);
      link();
      return moduleEnd;
    },
    get driverEnd() {
      return driverEnd;
    },
    get moduleEnd() {
      return moduleEnd;
    },
    unplug: () => {
      driverEnd?.drop();
      moduleEnd?.drop();
    },
  };
}
