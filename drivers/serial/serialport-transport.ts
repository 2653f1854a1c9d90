/**
 * SerialTransport over npm `serialport` (8N1, no flow control). A close we did not ask for (the
 * USB-serial adapter unplugged, the pty's other end gone) is reported as `closed(unexpected)`.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import type { SerialOpenOptions, SerialTransport, SerialTransportEvents } from './types.ts';

export class SerialPortTransport extends EventEmitter<SerialTransportEvents> implements SerialTransport {
  readonly path: string;
  private rate: number;
  private port: SerialPort | null = null;
  private closing = false;

  constructor(options: SerialOpenOptions) {
    super();
    this.path = options.path;
    this.rate = options.baudRate;
  }

  get baudRate(): number {
    return this.rate;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: this.rate, autoOpen: false });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(err);
          return;
        }
        this.port = port;
        this.closing = false;
        port.on('data', (chunk: Buffer) => this.emit('data', new Uint8Array(chunk)));
        // serialport emits 'error' for read failures before 'close'; the close carries the meaning.
        port.on('error', () => undefined);
        port.on('close', (error?: Error) => {
          const unexpected = !this.closing;
          this.port = null;
          this.emit('closed', unexpected, error ?? undefined);
        });
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.requirePort();
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) => {
        if (err) {
          reject(err);
          return;
        }
        port.drain((drainErr) => (drainErr ? reject(drainErr) : resolve()));
      });
    });
  }

  setBaudRate(baudRate: number): Promise<void> {
    const port = this.requirePort();
    return new Promise((resolve, reject) => {
      port.update({ baudRate }, (err) => {
        if (err) {
          reject(err);
          return;
        }
        this.rate = baudRate;
        resolve();
      });
    });
  }

  flushInput(): Promise<void> {
    const port = this.requirePort();
    return new Promise((resolve, reject) => port.flush((err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => port.close(() => resolve()));
  }

  private requirePort(): SerialPort {
    if (!this.port?.isOpen) throw new Error(`serial port ${this.path} is not open`);
    return this.port;
  }
}

export function openSerialPortTransport(options: SerialOpenOptions): SerialTransport {
  return new SerialPortTransport(options);
}
