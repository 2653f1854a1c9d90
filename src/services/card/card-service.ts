import { EventEmitter } from 'node:events';
import type { CardChannel, CardReaderStack } from '../../../drivers/pcsc/types.ts';
import { type EktpReadResult, readEktp } from '../../../protocols/ektp/read-sequence.ts';
import { BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import type { ReaderDirectory } from '../../devices/reader-directory.ts';
import type { CardField } from '../types.ts';
import { runSequence } from './run-sequence.ts';
import type { SamSession } from './sam-session.ts';

export interface CardReadRequest {
  fields: readonly CardField[];
  timeoutMs?: number;
  signal?: AbortSignal;
  progress?: (step: string, percent: number) => void;
  /** called once the reader is held for this read (after NO_CARD and BUSY): the ticket is spent */
  onStart?: () => void;
}

export interface CardReadOutcome {
  reader: string;
  result: EktpReadResult;
  apdus: { card: number; sam: number; bytes: number };
  ms: number;
}

export interface CardServiceEvents {
  /** a full or fingers read finished; the verify service keeps the templates while the card stays */
  read: [reader: string, result: EktpReadResult];
  /** the card left the reader: whatever was kept about it must be wiped */
  'card-left': [reader: string];
}

/**
 * Runs the e-KTP read sequence on the RF reader with the SAM session. One operation per reader at a
 * time (a second gets BUSY); a card pulled at any point gives CARD_REMOVED and leaves nothing half
 * done behind, so the next tap reads normally.
 */
export class CardService extends EventEmitter<CardServiceEvents> {
  private readonly busy = new Set<string>();

  constructor(
    private readonly stack: CardReaderStack,
    private readonly directory: ReaderDirectory,
    private readonly sam: SamSession,
  ) {
    super();
    stack.on('card-removed', (name) => this.emit('card-left', name));
  }

  async read(req: CardReadRequest): Promise<CardReadOutcome> {
    const reader = await this.pickReader(req);
    if (this.busy.has(reader)) throw new BridgeError('BUSY', 'another operation is using the card reader');
    this.busy.add(reader);
    try {
      req.onStart?.();
      return await this.readOnce(reader, req);
    } catch (e) {
      // The SAM lost its open state (pcscd power-cycled it): re-open once, with proven secrets only.
      if (isBridgeError(e, 'NO_SAM') && e.detail?.samOpen === false && this.sam.markClosed()) {
        return await this.readOnce(reader, req);
      }
      throw e;
    } finally {
      this.busy.delete(reader);
    }
  }

  isBusy(reader?: string): boolean {
    return reader ? this.busy.has(reader) : this.busy.size > 0;
  }

  private async readOnce(reader: string, req: CardReadRequest): Promise<CardReadOutcome> {
    const started = performance.now();
    const samChannel = await this.sam.ensureOpen();
    const card = await this.stack.connect(reader);
    const apdus = { card: 0, sam: 0, bytes: 0 };
    await lockBoth(card, samChannel);
    try {
      const result = await runSequence(readEktp({ fields: req.fields }), {
        card,
        sam: samChannel,
        signal: req.signal,
        progress: req.progress,
        onApdu: (target, cmd, res) => {
          apdus[target]++;
          apdus.bytes += cmd + res;
        },
      });
      this.emit('read', reader, result);
      return { reader, result, apdus, ms: performance.now() - started };
    } finally {
      await unlockBoth(card, samChannel);
    }
  }

  private async pickReader(req: CardReadRequest): Promise<string> {
    await this.directory.settled();
    const rf = this.directory.rfReaders();
    if (rf.length === 0) throw new BridgeError('NO_READER');
    const withCard = rf.find((r) => r.cardPresent);
    if (withCard) return withCard.name;
    if (!req.timeoutMs) throw new BridgeError('NO_CARD');
    return this.waitForCard(req.timeoutMs, req.signal);
  }

  private waitForCard(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.stack.off('card-inserted', onInsert);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onInsert = (name: string) => {
        // give the directory a chance to probe an unknown reader before deciding
        void this.directory.settled().then(() => {
          if (this.directory.roleOf(name) === 'rf') done(() => resolve(name));
        });
      };
      const onAbort = () => done(() => reject(new BridgeError('CANCELLED')));
      const timer = setTimeout(
        () => done(() => reject(new BridgeError('NO_CARD', 'no card was tapped in time'))),
        timeoutMs,
      );
      this.stack.on('card-inserted', onInsert);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

async function lockBoth(card: CardChannel, sam: CardChannel): Promise<void> {
  await sam.beginTransaction();
  await card.beginTransaction();
}

async function unlockBoth(card: CardChannel, sam: CardChannel): Promise<void> {
  await card.endTransaction().catch(() => {});
  await sam.endTransaction().catch(() => {});
}
