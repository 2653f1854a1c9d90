import type { CardChannel, CardReaderStack } from '../../../drivers/pcsc/types.ts';
import { samSocketSelect } from '../../../protocols/ektp/commands.ts';
import { openSam, probeSam } from '../../../protocols/ektp/read-sequence.ts';
import { BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import type { ReaderDirectory } from '../../devices/reader-directory.ts';
import { runSequence } from './run-sequence.ts';

export type SamState = 'absent' | 'closed' | 'open' | 'auth-failed' | 'blocked';

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
 * The SAM's session. OPEN SAM is sent once per daemon start and again after the SAM was power
 * cycled, reset or reinserted — and NEVER again automatically after a wrong block: three wrong
 * attempts block a real SAM for good, so a failure latches (state `auth-failed`) until the daemon
 * is restarted with corrected secrets. The connection to the SAM reader is kept open so pcscd does
 * not power the idle SAM down between reads.
 */
export class SamSession {
  private state_: SamState = 'absent';
  private channel: CardChannel | undefined;
  private opening: Promise<CardChannel> | undefined;
  private lastFailure: BridgeError | undefined;
  /** true once an OPEN SAM succeeded with the secrets in memory: re-opening after a power cycle is safe */
  private provenBlock: Uint8Array | undefined;

  constructor(private readonly opts: SamSessionOptions) {
    opts.stack.on('card-removed', (name) => {
      if (this.channel?.readerName === name || opts.directory.roleOf(name) === 'sam') this.dropped('absent');
    });
    opts.stack.on('card-inserted', (name) => {
      if (opts.directory.roleOf(name) === 'sam' && this.state_ === 'absent') this.state_ = 'closed';
    });
    opts.directory.on('role-changed', (_name, role) => {
      if (role === 'sam' && this.state_ === 'absent') this.state_ = 'closed';
    });
  }

  get state(): SamState {
    return this.state_;
  }

  /** Returns a channel to an open SAM, opening it when that is allowed. */
  async ensureOpen(): Promise<CardChannel> {
    if (this.state_ === 'open' && this.channel) return this.channel;
    if (this.state_ === 'blocked') throw new BridgeError('SAM_LOCKED');
    if (this.state_ === 'auth-failed') throw this.lastFailure ?? new BridgeError('SAM_AUTH_FAILED');
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
    if (this.state_ === 'open') this.state_ = 'closed';
    return this.provenBlock !== undefined;
  }

  async close(): Promise<void> {
    await this.channel?.close().catch(() => {});
    this.channel = undefined;
  }

  private async open(): Promise<CardChannel> {
    await this.opts.directory.settled();
    const reader = this.opts.directory.samReader();
    if (!reader?.cardPresent) {
      this.state_ = 'absent';
      throw new BridgeError('NO_SAM');
    }
    const channel = await this.opts.stack.connect(reader.name);
    this.channel = channel;
    if (this.opts.socket) await this.selectSocket(channel, this.opts.socket);
    const probe = await runSequence(probeSam(), { sam: channel });
    if (probe.blocked) return this.fail('blocked', new BridgeError('SAM_LOCKED'));
    if (!probe.present) return this.fail('absent', new BridgeError('NO_SAM', 'the SAM reader holds no SAM'));
    const block = this.provenBlock ?? this.opts.loadSecrets()?.block;
    if (!block) {
      this.state_ = 'closed';
      throw new BridgeError('NO_SAM', 'no SAM secrets configured (sam.secretsFile)');
    }
    try {
      // Exactly one OPEN SAM per call; a failure latches below and is never retried.
      await runSequence(openSam(block), { sam: channel });
    } catch (e) {
      if (isBridgeError(e, 'SAM_LOCKED')) return this.fail('blocked', e);
      if (isBridgeError(e, 'SAM_AUTH_FAILED')) {
        this.provenBlock = undefined;
        this.opts.log?.('error', 'OPEN SAM refused; not retrying (fix sam.secretsFile and restart)', {
          triesLeft: e.detail?.triesLeft,
        });
        return this.fail('auth-failed', e);
      }
      throw e;
    }
    this.provenBlock = block;
    this.state_ = 'open';
    this.opts.log?.('info', 'SAM opened', { reader: reader.name });
    return channel;
  }

  private async selectSocket(channel: CardChannel, socket: 1 | 2): Promise<void> {
    const res = await channel.transmit(samSocketSelect(socket));
    const sw = (res[res.length - 2] << 8) | res[res.length - 1];
    if (sw !== 0x9000) throw new BridgeError('NO_SAM', `no SAM in socket ${socket}`);
  }

  private fail(state: SamState, err: BridgeError): never {
    this.state_ = state;
    this.lastFailure = err;
    throw err;
  }

  private dropped(state: SamState): void {
    this.channel = undefined;
    // A wrong-secrets latch survives a SAM swap (the secrets are still the same wrong ones);
    // a blocked SAM that was taken out may be replaced by a good one.
    if (this.state_ !== 'auth-failed') this.state_ = state;
  }
}
