import type { EktpReadResult } from '../../../protocols/ektp/read-sequence.ts';
import type { CardService } from './card-service.ts';

export interface HeldCard {
  reader: string;
  chipSerial: string;
  /** from the read the templates came from: 'not-checked' for a fingers-only read */
  documentSignature: EktpReadResult['documentSignature'];
  nik?: string;
  /** raw ISO/IEC 19794-2 records as read from the card */
  records: Uint8Array[];
  at: number;
}

/**
 * The finger templates of the card on each reader, kept after a read so finger.verify need not read
 * the card again — and only while the card stays on the reader: they are wiped (bytes zeroed, not
 * just dropped) when the card leaves, and after `idleWipeMs` without use.
 */
export class CardTemplates {
  private readonly held = new Map<string, HeldCard>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    cards: CardService,
    private readonly idleWipeMs: number,
  ) {
    cards.on('read', (reader, r) => {
      if (r.minutiae.length === 0) return;
      this.wipe(reader);
      this.held.set(reader, {
        reader,
        chipSerial: r.chipSerial,
        documentSignature: r.documentSignature,
        nik: r.biodata?.nik,
        records: r.minutiae.map((m) => m.record),
        at: Date.now(),
      });
      this.touch(reader);
    });
    cards.on('card-left', (reader) => this.wipe(reader));
  }

  get(reader: string): HeldCard | undefined {
    const h = this.held.get(reader);
    if (h) this.touch(reader);
    return h;
  }

  wipe(reader: string): void {
    clearTimeout(this.timers.get(reader));
    this.timers.delete(reader);
    const h = this.held.get(reader);
    if (!h) return;
    for (const rec of h.records) rec.fill(0);
    this.held.delete(reader);
  }

  wipeAll(): void {
    for (const reader of [...this.held.keys()]) this.wipe(reader);
  }

  /** how many cards' templates are in memory (for /health; never their content) */
  get size(): number {
    return this.held.size;
  }

  private touch(reader: string): void {
    clearTimeout(this.timers.get(reader));
    const t = setTimeout(() => this.wipe(reader), this.idleWipeMs);
    t.unref();
    this.timers.set(reader, t);
  }
}
