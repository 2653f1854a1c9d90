/**
 * The serial transport seam: a byte pipe with a line speed. The serialport adapter implements it
 * for real UARTs and for ptys; nothing here knows a packet format.
 */
import type { EventEmitter } from 'node:events';

export interface SerialTransportEvents {
  data: [chunk: Uint8Array];
  /** the port closed; `unexpected` when we did not ask for it (device unplugged, pty gone) */
  closed: [unexpected: boolean, error?: Error];
}

export interface SerialTransport extends EventEmitter<SerialTransportEvents> {
  readonly path: string;
  readonly baudRate: number;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** resolves once the bytes were handed to the OS (drained) */
  write(bytes: Uint8Array): Promise<void>;
  setBaudRate(baudRate: number): Promise<void>;
  /** discards bytes received but not read yet */
  flushInput(): Promise<void>;
  close(): Promise<void>;
}

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
}

export type SerialTransportFactory = (options: SerialOpenOptions) => SerialTransport;
