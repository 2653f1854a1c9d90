import { BridgeError } from '../../protocols/errors.ts';
import { Mutex } from './mutex.ts';
import type { CardChannel } from './types.ts';

/** The largest response an extended-length APDU can bring (65,536 data bytes + SW1 SW2). */
const MAX_RESPONSE = 65_538;

interface Reader {
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, res: Buffer) => void): void;
  control(data: Buffer, code: number, resLen: number, cb: (err: unknown, res: Buffer) => void): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  SCARD_LEAVE_CARD: number;
  SCARD_CTL_CODE(code: number): number;
}

/** One connection to a card in one reader. Any sign that the card left becomes CARD_REMOVED. */
export class PcscChannel implements CardChannel {
  private open = true;
  private readonly lock = new Mutex();
  private release: (() => void) | undefined;

  constructor(
    private readonly reader: Reader,
    readonly readerName: string,
    private readonly protocol: number,
    readonly atr: Uint8Array,
    private readonly cardPresent: () => boolean,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /** called by the stack when the card leaves or the reader goes away */
  invalidate(): void {
    this.open = false;
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (!this.open) return Promise.reject(new BridgeError('CARD_REMOVED'));
    return new Promise((resolve, reject) => {
      this.reader.transmit(Buffer.from(apdu), MAX_RESPONSE, this.protocol, (err, res) => {
        if (err) {
          // pcscd itself went away (killed, restarting): 0x80100013 communication data lost,
          // 0x8010001D no service, 0x8010001E service stopped, 0x80100009 unknown reader, and
          // 0x8010006A "access denied", which libpcsclite answers on a handle whose pcscd died
          // (seen with SIGKILL mid-read). No card was pulled: the reader is gone for now (the
          // stack reconnects by itself).
          if (/0x801000(13|1D|1E|09|6A)/i.test(String((err as Error).message))) {
            this.open = false;
            reject(new BridgeError('NO_READER', `the PC/SC service went away: ${(err as Error).message}`));
            return;
          }
          // 0x80100069 removed, 0x80100016 not transacted (the APDU after a pull), 0x80100017
          // reader unavailable: the card is gone. Anything else while the card is present is a
          // transport failure we cannot attribute; still report it as removal when the card left.
          const gone =
            !this.cardPresent() || /0x801000(69|16|17|68|66)/i.test(String((err as Error).message));
          if (gone) this.open = false;
          reject(
            new BridgeError(gone ? 'CARD_REMOVED' : 'INTERNAL', `transmit failed: ${(err as Error).message}`),
          );
          return;
        }
        // pcsc-simulation.md: a card pulled during an APDU gives a successful transmit with 0 bytes
        if (res.length < 2) {
          this.open = false;
          reject(new BridgeError('CARD_REMOVED', 'response shorter than a status word'));
          return;
        }
        resolve(new Uint8Array(res.buffer, res.byteOffset, res.length));
      });
    });
  }

  control(code: number, data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.reader.control(Buffer.from(data), this.reader.SCARD_CTL_CODE(code), 258, (err, res) =>
        err ? reject(new BridgeError('INTERNAL', `control failed: ${(err as Error).message}`)) : resolve(res),
      );
    });
  }

  async beginTransaction(): Promise<void> {
    const release = await this.lock.acquire();
    this.release = release;
  }

  async endTransaction(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await new Promise<void>((resolve) =>
      this.reader.disconnect(this.reader.SCARD_LEAVE_CARD, () => resolve()),
    );
  }
}
