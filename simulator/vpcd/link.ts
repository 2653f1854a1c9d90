/**
 * Connects a simulated device to pcscd's vpcd reader driver over TCP (pcsc-simulation.md). pcscd
 * listens and the card is the client: connecting is inserting the card, closing is removing it.
 * Slot 0 (port 35963) is the RF slot, slot 1 (35964) the SAM slot of the one vpcd reader entry.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { SimulatedDevice } from '../ektp/device.ts';
import { encodeFrame, FrameDecoder, VPCD_CTRL, type VpcdMessage } from './framing.ts';

export const VPCD_BASE_PORT = 35963;

export interface VpcdLinkOptions {
  device: SimulatedDevice;
  host?: string;
  /** overrides the slot's port */
  port?: number;
  /** 0 = RF slot (35963), 1 = SAM slot (35964) */
  slot?: 0 | 1;
}

export interface VpcdLinkEvents {
  inserted: [];
  removed: [reason: 'remove' | 'pull' | 'closed-by-peer'];
  apdu: [count: number];
  error: [err: Error];
}

export class VpcdLink extends EventEmitter<VpcdLinkEvents> {
  readonly host: string;
  readonly port: number;
  private readonly device: SimulatedDevice;
  private socket: Socket | undefined;
  private decoder = new FrameDecoder();
  private pullCountdown: number | undefined;
  private apdus = 0;
  private removing: 'remove' | 'pull' | undefined;

  constructor(opts: VpcdLinkOptions) {
    super();
    this.device = opts.device;
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? VPCD_BASE_PORT + (opts.slot ?? 0);
  }

  get inserted(): boolean {
    return this.socket !== undefined;
  }

  /** APDUs answered since construction. */
  get apduCount(): number {
    return this.apdus;
  }

  /** Inserts the card: connects to vpcd. Resolves once connected. */
  insert(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      // vpcd waits for each answer before it sends the next command: Nagle would add a delayed-ACK
      // round trip (~40 ms) to every APDU.
      socket.setNoDelay(true);
      this.decoder = new FrameDecoder();
      this.removing = undefined;
      const onConnectError = (err: Error) => reject(err);
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        socket.off('error', onConnectError);
        socket.on('error', (err) => this.emit('error', err));
        this.socket = socket;
        this.emit('inserted');
        resolve();
      });
      socket.on('data', (chunk) => this.onData(socket, chunk));
      socket.on('close', () => {
        if (this.socket !== socket) return;
        this.socket = undefined;
        this.emit('removed', this.removing ?? 'closed-by-peer');
      });
    });
  }

  /** Removes the card: closes the connection. Resolves once closed. */
  remove(): Promise<void> {
    return this.close('remove');
  }

  /** The card will be pulled instead of answering the (n+1)th APDU from now (n = 0: the next one). */
  pullAfter(n: number): void {
    this.pullCountdown = n;
  }

  private close(reason: 'remove' | 'pull'): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    this.removing = reason;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      socket.destroySoon();
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    let messages: VpcdMessage[];
    try {
      messages = this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (e) {
      this.emit('error', e as Error);
      return;
    }
    for (const m of messages) {
      if (this.socket !== socket || this.removing) return;
      this.handle(socket, m);
    }
  }

  private handle(socket: Socket, m: VpcdMessage): void {
    if (m.kind === 'control') {
      switch (m.code) {
        case VPCD_CTRL.OFF:
        case VPCD_CTRL.ON:
          // pcscd powers idle cards off and on: either way the card loses its session state.
          this.device.powerOn();
          return;
        case VPCD_CTRL.RESET:
          this.device.reset();
          return;
        case VPCD_CTRL.ATR:
          socket.write(encodeFrame(this.device.atr));
          return;
        default:
          this.emit('error', new Error(`unknown vpcd control byte ${m.code}`));
          return;
      }
    }
    if (this.pullCountdown !== undefined && this.pullCountdown-- <= 0) {
      this.pullCountdown = undefined;
      this.pull(socket);
      return;
    }
    const response = this.device.transmit(m.apdu);
    if (response.length === 0) {
      // The device was pulled (see simulator/ektp/pull-after.ts): a zero-length reply, then gone.
      this.pull(socket);
      return;
    }
    this.apdus++;
    socket.write(encodeFrame(response));
    this.emit('apdu', this.apdus);
  }

  private pull(socket: Socket): void {
    socket.write(encodeFrame(new Uint8Array(0)));
    void this.close('pull');
  }
}
