import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { BridgeError } from '../../protocols/errors.ts';
import { Backoff } from './backoff.ts';
import { PcscChannel } from './pcsc-channel.ts';
import type { CardChannel, CardReaderStack, CardReaderStackEvents, ReaderInfo } from './types.ts';

// pcsclite is CommonJS with a native addon; its typings describe the objects we use below.
const require = createRequire(import.meta.url);
type PcscLite = ReturnType<typeof import('pcsclite')>;
type PcscReader = Parameters<Parameters<PcscLite['on']>[1]>[0] & {
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
};

export interface PcscStackOptions {
  /** first and longest wait between attempts to (re)create the PC/SC context */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** for logs: never personal data, only reader names and error codes */
  log?: (level: 'info' | 'warn', msg: string) => void;
}

interface ReaderEntry {
  reader: PcscReader;
  present: boolean;
  atr?: Uint8Array;
  channel?: PcscChannel;
}

/**
 * The PC/SC transport on npm `pcsclite` (libpcsclite → pcscd). It keeps one context alive: when
 * pcscd is down at start (the constructor throws "Service not available") or restarts (every
 * reader emits error 0x80100013 and end), the context is dropped and re-created with backoff, and
 * readers come back as reader-added events. Nothing here knows about e-KTP.
 */
export class PcscLiteStack extends EventEmitter<CardReaderStackEvents> implements CardReaderStack {
  private ctx: PcscLite | undefined;
  private readonly entries = new Map<string, ReaderEntry>();
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private up = false;

  constructor(private readonly opts: PcscStackOptions = {}) {
    super();
    this.backoff = new Backoff(opts.backoffMinMs ?? 200, opts.backoffMaxMs ?? 5000);
    this.start();
  }

  /** true while a PC/SC context is established (pcscd reachable) */
  get serviceUp(): boolean {
    return this.up;
  }

  readers(): ReaderInfo[] {
    return [...this.entries.entries()].map(([name, e]) => ({ name, cardPresent: e.present, atr: e.atr }));
  }

  async connect(readerName: string): Promise<CardChannel> {
    const entry = this.entries.get(readerName);
    if (!entry) throw new BridgeError('NO_READER', `reader "${readerName}" is not connected`);
    if (!entry.present) throw new BridgeError('NO_CARD');
    if (entry.channel?.isOpen) return entry.channel;
    const { reader } = entry;
    const protocol = await new Promise<number>((resolve, reject) => {
      // SHARED: other applications (a vendor tool, pcsc_scan) may use the reader between our reads;
      // a sequence is kept together by the channel's transaction lock.
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, proto) =>
        err ? reject(err) : resolve(proto),
      );
    }).catch((e: unknown) => {
      throw new BridgeError(entry.present ? 'CARD_REMOVED' : 'NO_CARD', `connect failed: ${errText(e)}`);
    });
    entry.channel = new PcscChannel(reader, readerName, protocol, entry.atr ?? new Uint8Array(), () =>
      this.isPresent(readerName),
    );
    return entry.channel;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.dropContext();
  }

  private isPresent(name: string): boolean {
    return this.entries.get(name)?.present ?? false;
  }

  private start(): void {
    if (this.closed) return;
    let ctx: PcscLite;
    try {
      ctx = require('pcsclite')();
    } catch (e) {
      // pcscd not running: the binding throws synchronously; try again later.
      this.opts.log?.('warn', `PC/SC service not available (${errText(e)}); retrying`);
      this.setUp(false);
      this.scheduleRetry();
      return;
    }
    this.ctx = ctx;
    ctx.on('error', (e: unknown) => {
      this.opts.log?.('warn', `PC/SC context error (${errText(e)}); re-creating the context`);
      this.restart();
    });
    ctx.on('reader', (reader: PcscReader) => this.addReader(reader as PcscReader));
    // The binding reports "up" only through readers or errors; having a context is good enough.
    this.setUp(true);
    this.backoff.reset();
  }

  private addReader(reader: PcscReader): void {
    const name = reader.name;
    const entry: ReaderEntry = { reader, present: false };
    this.entries.set(name, entry);
    this.emit('reader-added', name);
    reader.on('error', (e: unknown) => {
      // 0x80100013 (SCARD_E_COMM_DATA_LOST) arrives on every reader when pcscd goes away
      this.opts.log?.('warn', `reader "${name}" error (${errText(e)})`);
      if (/0x80100013|0x8010001D|0x80100017/i.test(errText(e))) this.restart();
    });
    reader.on('end', () => this.removeReader(name));
    reader.on('status', (status: { state: number; atr?: Buffer }) => {
      const present =
        (status.state & reader.SCARD_STATE_PRESENT) !== 0 && (status.state & reader.SCARD_STATE_MUTE) === 0;
      if (present && !entry.present) {
        entry.present = true;
        entry.atr = status.atr ? new Uint8Array(status.atr) : new Uint8Array();
        this.emit('card-inserted', name, entry.atr);
      } else if (!present && entry.present) {
        entry.present = false;
        entry.atr = undefined;
        entry.channel?.invalidate();
        entry.channel = undefined;
        // the binding keeps the handle "connected" after removal; drop it so the next card connects
        reader.disconnect(reader.SCARD_LEAVE_CARD, () => {});
        this.emit('card-removed', name);
      }
    });
  }

  private removeReader(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    entry.channel?.invalidate();
    if (entry.present) this.emit('card-removed', name);
    this.emit('reader-removed', name);
  }

  private restart(): void {
    if (this.closed || !this.ctx) return;
    this.dropContext();
    this.setUp(false);
    this.scheduleRetry();
  }

  private dropContext(): void {
    const ctx = this.ctx;
    this.ctx = undefined;
    for (const name of [...this.entries.keys()]) this.removeReader(name);
    if (ctx) {
      ctx.removeAllListeners();
      ctx.on('error', () => {}); // late errors from the dying context must not crash the daemon
      try {
        ctx.close();
      } catch {
        /* already gone */
      }
    }
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.start(), this.backoff.next());
    this.retryTimer.unref();
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.emit('service-state', up);
  }
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
