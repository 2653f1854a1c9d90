import type { EktpReadResult } from '../../../protocols/ektp/read-sequence.ts';
import type { CardService } from './card-service.ts';

export interface HeldCard {
  reader: string;
  chipSerial: string;
  /** from the read the templates came from: 'not-checked' for a fingers-only read */
  documentSignature: EktpReadResult['documentSignature'];
  nik?: string;
  /**
   * cardDigest of the card.read that returned a card record along with these templates (set by
   * bindCardDigest); absent when the read returned none, e.g. finger.verify's own fingers-only read
   */
  cardDigest?: string;
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
  /** which read result each held entry came from, so a digest is bound to that read only */
  private readonly sources = new WeakMap<HeldCard, EktpReadResult>();

  constructor(
    cards: CardService,
    private readonly idleWipeMs: number,
  ) {
    cards.on('read', (reader, r) => {
      if (r.minutiae.length === 0) return;
      this.wipe(reader);
      const held: HeldCard = {
        reader,
        chipSerial: r.chipSerial,
        documentSignature: r.documentSignature,
        nik: r.biodata?.nik,
        records: r.minutiae.map((m) => m.record),
        at: Date.now(),
      };
      this.held.set(reader, held);
      this.sources.set(held, r);
      this.touch(reader);
    });
    cards.on('card-left', (reader) => this.wipe(reader));
  }

  get(reader: string): HeldCard | undefined {
    const h = this.held.get(reader);
    if (h) this.touch(reader);
    return h;
  }

  /**
   * Records the cardDigest of the card record card.read returned for `result`, if the templates
   * held for `reader` are still that read's (a later read, or the card leaving, replaced them).
   */
  bindCardDigest(reader: string, result: EktpReadResult, cardDigest: string): void {
    const h = this.held.get(reader);
    if (h && this.sources.get(h) === result) h.cardDigest = cardDigest;
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
