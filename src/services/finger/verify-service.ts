import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import type { ReaderDirectory } from '../../devices/reader-directory.ts';
import { templatesDigestOf } from '../../receipts/receipt-claims.ts';
import type { CardService } from '../card/card-service.ts';
import type { CardTemplates, HeldCard } from '../card/card-templates.ts';
import type { OperationContext } from '../types.ts';

export interface VerifyParams {
  /** ISO finger positions to compare with; default: every finger on the card */
  fingers?: number[];
  maxAttempts?: number;
  timeoutMs?: number;
  sensorId?: string;
}

export interface VerifyOutcome {
  matched: boolean;
  /** the card finger that matched best (ISO position) */
  finger: number;
  score: number;
  threshold: number;
  attempts: number;
  sensor: string;
  card: Pick<HeldCard, 'chipSerial' | 'documentSignature' | 'nik' | 'cardDigest'>;
  /** templatesDigestOf the card records compared against (receipt claim `templatesDigest`) */
  templatesDigest: string;
}

/** Captures one live finger and extracts it (in the pool); the capture service provides it. */
export type CaptureTemplate = (req: {
  sensorId?: string;
  timeoutMs?: number;
  signal: AbortSignal;
  progress: (step: string) => void;
}) => Promise<{ set: MinutiaeSet; quality: number; sensorId: string }>;

/** Compares a live template with the card's (in the pool). */
export type CompareMany = (
  probe: MinutiaeSet,
  gallery: MinutiaeSet[],
  signal?: AbortSignal,
) => Promise<Float64Array>;

export interface VerifyDeps {
  directory: ReaderDirectory;
  cards: CardService;
  templates: CardTemplates;
  captureTemplate: CaptureTemplate;
  compareMany: CompareMany;
  threshold: number;
  defaultMaxAttempts: number;
  /** below this image quality an attempt is not compared (counts as an attempt, POOR_QUALITY if last) */
  minQuality?: number;
}

/**
 * finger.verify: is the person at the sensor the holder of the card on the reader?
 *
 * Policy for a card whose document signature is `invalid` (tampered data): refuse with
 * CARD_DATA_INVALID before capturing — templates from a tampered card prove nothing. Templates from a
 * fingers-only read (`not-checked`) are used, and the receipt says `not-checked` so the backend
 * decides.
 */
export class VerifyService {
  private readonly busy = new Set<string>();

  constructor(private readonly d: VerifyDeps) {}

  async verify(params: VerifyParams, ctx: OperationContext): Promise<VerifyOutcome> {
    await this.d.directory.settled();
    const reader = this.d.directory.rfReaders().find((r) => r.cardPresent)?.name;
    if (!reader) throw new BridgeError(this.d.directory.rfReaders().length ? 'NO_CARD' : 'NO_READER');
    if (this.busy.has(reader) || this.d.cards.isBusy(reader)) throw new BridgeError('BUSY');
    this.busy.add(reader);
    // The card leaving the reader ends the verification at once, whatever step it is in.
    const ac = new AbortController();
    let cardLeft = false;
    const onLeft = (name: string) => {
      if (name !== reader) return;
      cardLeft = true;
      ac.abort();
    };
    const onCancel = () => ac.abort();
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    this.d.cards.on('card-left', onLeft);
    try {
      return await this.run(reader, params, { ...ctx, signal: ac.signal });
    } catch (e) {
      if (cardLeft) throw new BridgeError('CARD_REMOVED');
      if (ctx.signal.aborted && !isBridgeError(e, 'SENSOR_REMOVED')) throw new BridgeError('CANCELLED');
      throw e;
    } finally {
      this.busy.delete(reader);
      this.d.cards.off('card-left', onLeft);
      ctx.signal.removeEventListener('abort', onCancel);
    }
  }

  private async run(reader: string, params: VerifyParams, ctx: OperationContext): Promise<VerifyOutcome> {
    const held = await this.cardTemplates(reader, ctx);
    if (held.documentSignature === 'invalid') {
      throw new BridgeError(
        'CARD_DATA_INVALID',
        'the card failed its document signature check; fingers are not verified',
      );
    }
    const fingers = this.chooseFingers(held, params.fingers);
    const maxAttempts = params.maxAttempts ?? this.d.defaultMaxAttempts;
    let best = { score: 0, finger: fingers[0].fingerPosition };
    let sensor = '';
    let lastPoor = false;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const base = ((attempt - 1) / maxAttempts) * 100;
      const step = (name: string) =>
        ctx.progress(`attempt-${attempt}:${name}`, Math.round(base + 10 / maxAttempts));
      ctx.progress(`attempt-${attempt}`, Math.round(base));
      const live = await this.d.captureTemplate({
        sensorId: params.sensorId,
        timeoutMs: params.timeoutMs,
        signal: ctx.signal,
        progress: step,
      });
      sensor = live.sensorId;
      lastPoor = live.quality < (this.d.minQuality ?? 0);
      if (lastPoor) continue;
      const scores = await this.d.compareMany(live.set, fingers, ctx.signal);
      for (let i = 0; i < scores.length; i++) {
        if (scores[i] > best.score) best = { score: scores[i], finger: fingers[i].fingerPosition };
      }
      if (best.score >= this.d.threshold) {
        return this.outcome(true, best, attempt, sensor, held, fingers);
      }
    }
    if (lastPoor && best.score === 0) throw new BridgeError('POOR_QUALITY');
    return this.outcome(false, best, maxAttempts, sensor, held, fingers);
  }

  private outcome(
    matched: boolean,
    best: { score: number; finger: number },
    attempts: number,
    sensor: string,
    held: HeldCard,
    fingers: MinutiaeSet[],
  ): VerifyOutcome {
    const compared = new Set(fingers.map((f) => f.fingerPosition));
    return {
      matched,
      finger: best.finger,
      score: Math.round(best.score * 1e4) / 1e4,
      threshold: this.d.threshold,
      attempts,
      sensor,
      card: {
        chipSerial: held.chipSerial,
        documentSignature: held.documentSignature,
        nik: held.nik,
        cardDigest: held.cardDigest,
      },
      templatesDigest: templatesDigestOf(held.records.filter((r) => compared.has(positionOf(r)))),
    };
  }

  /** The templates of the last read of this card, or a fingers-only read now. */
  private async cardTemplates(reader: string, ctx: OperationContext): Promise<HeldCard> {
    const held = this.d.templates.get(reader);
    if (held) return held;
    ctx.progress('reading-card', 0);
    await this.d.cards.read({ fields: ['fingers'], signal: ctx.signal });
    const fresh = this.d.templates.get(reader);
    if (!fresh) throw new BridgeError('CARD_DATA_INVALID', 'the card holds no finger templates');
    return fresh;
  }

  private chooseFingers(held: HeldCard, wanted?: number[]): MinutiaeSet[] {
    const sets = held.records.map((r) => decodeIso19794_2(r));
    const chosen = wanted?.length ? sets.filter((s) => wanted.includes(s.fingerPosition)) : sets;
    if (chosen.length === 0) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `the card has no template for finger(s) ${wanted?.join(', ')}`,
        {
          available: sets.map((s) => s.fingerPosition),
        },
      );
    }
    return chosen;
  }
}

function positionOf(record: Uint8Array): number {
  return decodeIso19794_2(record).fingerPosition;
}
