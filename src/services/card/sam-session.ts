import type { CardChannel, CardReaderStack } from '../../../drivers/pcsc/types.ts';
import { samSocketSelect } from '../../../protocols/ektp/commands.ts';
import { openSam, probeSam } from '../../../protocols/ektp/read-sequence.ts';
import { BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import type { ReaderDirectory } from '../../devices/reader-directory.ts';
import { runSequence } from './run-sequence.ts';

export type SamState = 'absent' | 'closed' | 'open' | 'auth-failed' | 'blocked';

/** what the session itself learned about the SAM now in the reader; forgotten when that SAM leaves */
interface Observed {
  reader: string;
  state: 'open' | 'blocked' | 'absent';
}

export interface OpenSamKey {
  /** the OPEN SAM block B = (PCID ⊕ CONF[0..16]) || (PCID ⊕ CONF[16..32]), built by the caller */
  block: Uint8Array;
}

export interface SamSessionOptions {
  stack: CardReaderStack;
  directory: ReaderDirectory;
  /** loads the installation's PCID/CONF when needed; undefined when none are configured */
  loadSecrets: () => OpenSamKey | undefined;
  /** optional socket select (readers with two SAM sockets): escape APDU 68 92 01 00 03 SS 00 00 */
  socket?: 1 | 2;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * The SAM's session. Its state is derived on every call from the current facts (the reader that
 * holds the SAM role, whether a card sits in it, and what this session observed about that card
 * since it was inserted), never from the order in which reader, role and card events arrived: at
 * start pcscd may announce them before or after this object exists, in any order.
 *
 * OPEN SAM is sent once per daemon start and again after the SAM was power
 * cycled, reset or reinserted — and NEVER again automatically after a wrong block: three wrong
 * attempts block a real SAM for good, so a failure latches (state `auth-failed`) until the daemon
 * is restarted with corrected secrets. The connection to the SAM reader is kept open so pcscd does
 * not power the idle SAM down between reads.
 */
export class SamSession {
  private observed: Observed | undefined;
  /** set by a refused OPEN SAM; survives a SAM swap (the secrets are still the same wrong ones) */
  private latched: BridgeError | undefined;
  private channel: CardChannel | undefined;
  private opening: Promise<CardChannel> | undefined;
  /** true once an OPEN SAM succeeded with the secrets in memory: re-opening after a power cycle is safe */
  private provenBlock: Uint8Array | undefined;

  constructor(private readonly opts: SamSessionOptions) {
    // Only forgetting depends on events: whatever was observed was about the card that left.
    opts.stack.on('card-removed', (name) => this.forget(name));
    opts.stack.on('reader-removed', (name) => this.forget(name));
  }

  get state(): SamState {
    if (this.latched) return 'auth-failed';
    const reader = this.opts.directory.samReader();
    if (!reader?.cardPresent) return 'absent';
    if (this.observed?.reader === reader.name) {
      if (this.observed.state !== 'open' || this.channel) return this.observed.state;
    }
    return 'closed';
  }

  /** Returns a channel to an open SAM, opening it when that is allowed. */
  async ensureOpen(): Promise<CardChannel> {
    const state = this.state;
    if (state === 'open' && this.channel) return this.channel;
    if (state === 'blocked') throw new BridgeError('SAM_LOCKED');
    if (this.latched) throw this.latched;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /**
   * Called when the SAM answered "not open" (69 85) in the middle of a read: it was power cycled
   * behind our back. Marks the session closed; the caller may call ensureOpen() once more.
   * Returns whether a re-open is allowed (only with secrets that already worked).
   */
  markClosed(): boolean {
    if (this.observed?.state === 'open') this.observed = undefined;
    return this.provenBlock !== undefined;
  }

  async close(): Promise<void> {
    await this.channel?.close().catch(() => {});
    this.channel = undefined;
  }

  private async open(): Promise<CardChannel> {
    await this.opts.directory.settled();
    const reader = this.opts.directory.samReader();
    if (!reader?.cardPresent) throw new BridgeError('NO_SAM');
    const channel = await this.opts.stack.connect(reader.name);
    this.channel = channel;
    if (this.opts.socket) await this.selectSocket(channel, this.opts.socket);
    const probe = await runSequence(probeSam(), { sam: channel });
    if (probe.blocked) return this.fail(reader.name, 'blocked', new BridgeError('SAM_LOCKED'));
    if (!probe.present)
      return this.fail(reader.name, 'absent', new BridgeError('NO_SAM', 'the SAM reader holds no SAM'));
    const block = this.provenBlock ?? this.opts.loadSecrets()?.block;
    if (!block) {
      throw new BridgeError('NO_SAM', 'no SAM secrets configured (sam.secretsFile)');
    }
    try {
      // Exactly one OPEN SAM per call; a failure latches below and is never retried.
      await runSequence(openSam(block), { sam: channel });
    } catch (e) {
      if (isBridgeError(e, 'SAM_LOCKED')) return this.fail(reader.name, 'blocked', e);
      if (isBridgeError(e, 'SAM_AUTH_FAILED')) {
        this.provenBlock = undefined;
        this.opts.log?.('error', 'OPEN SAM refused; not retrying (fix sam.secretsFile and restart)', {
          triesLeft: e.detail?.triesLeft,
        });
        this.latched = e;
        throw e;
      }
      throw e;
    }
    this.provenBlock = block;
    this.observed = { reader: reader.name, state: 'open' };
    this.opts.log?.('info', 'SAM opened', { reader: reader.name });
    return channel;
  }

  private async selectSocket(channel: CardChannel, socket: 1 | 2): Promise<void> {
    const res = await channel.transmit(samSocketSelect(socket));
    const sw = (res[res.length - 2] << 8) | res[res.length - 1];
    if (sw !== 0x9000) throw new BridgeError('NO_SAM', `no SAM in socket ${socket}`);
  }

  private fail(reader: string, state: Observed['state'], err: BridgeError): never {
    this.observed = { reader, state };
    throw err;
  }

  /** the card in `reader` left: a blocked SAM taken out may be replaced by a good one */
  private forget(reader: string): void {
    if (this.channel?.readerName === reader) this.channel = undefined;
    if (this.observed?.reader === reader) this.observed = undefined;
  }
}
