import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import {
  type AttemptDecision,
  type AttemptReason,
  attemptRejection,
  bestOfViews,
  decideAttempt,
  type ImpostorTailsFile,
  loadImpostorTails,
  planVerify,
  type QualityGate,
  startVerify,
  type VerifyCombine,
  type VerifyPlan,
  type VerifyState,
} from '../../biometrics/verify-policy/index.ts';
import type { ReaderDirectory } from '../../devices/reader-directory.ts';
import { templatesDigestOf } from '../../receipts/receipt-claims.ts';
import type { CardService } from '../card/card-service.ts';
import type { CardTemplates, HeldCard } from '../card/card-templates.ts';
import type { OperationContext } from '../types.ts';
import type { VerifyLockout } from './verify-lockout.ts';

export interface VerifyParams {
  /** ISO finger positions to compare with; default: every finger on the card */
  fingers?: number[];
  maxAttempts?: number;
  timeoutMs?: number;
  sensorId?: string;
  /** send finger.preview frames while capturing */
  preview?: boolean;
}

export interface VerifyOutcome {
  matched: boolean;
  /** the card finger that matched best (ISO position) */
  finger: number;
  score: number;
  threshold: number;
  attempts: number;
  /** why each attempt that did not match failed, in order */
  reasons: AttemptReason[];
  sensor: string;
  card: Pick<HeldCard, 'chipSerial' | 'documentSignature' | 'nik' | 'cardDigest'>;
  /** templatesDigestOf the card records compared against (receipt claim `templatesDigest`) */
  templatesDigest: string;
}

/**
 * Captures one live finger and extracts it (in the pool): `set` is the capture's template (its first
 * live view, extract/live-views.ts), `otherViews` extracts the others on demand. The capture service
 * provides it.
 */
export type CaptureTemplate = (req: {
  sensorId?: string;
  timeoutMs?: number;
  preview?: boolean;
  signal: AbortSignal;
  progress: (step: string) => void;
}) => Promise<{
  set: MinutiaeSet;
  otherViews: (signal?: AbortSignal) => Promise<MinutiaeSet[]>;
  quality: number;
  sensorId: string;
}>;

/** The configured verify policy (config verify.*, finger.*; docs/matching.md "Verify policy"). */
export interface VerifyPolicyConfig extends QualityGate {
  /** false-match rate of one whole call */
  targetFmr: number;
  defaultMaxAttempts: number;
  /** how a call's attempts combine (config verify.combine); default 'best' */
  combine?: VerifyCombine;
  /** the measured impostor tails; default: the ones shipped with the matcher */
  tails?: ImpostorTailsFile;
}

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
  policy: VerifyPolicyConfig;
  /** per-card lockout; absent in tests that do not need one */
  lockout?: VerifyLockout;
  /**
   * Appends the audit entry of a call that ended in an error after the card was identified (the
   * lockout's TOO_MANY_ATTEMPTS, no usable image, the card pulled, cancelled...): a matched or
   * not-matched call is recorded with its receipt, and without this a refused or abandoned attempt
   * on a card would leave no trace. Absent in tests that do not need one.
   */
  auditFailure?: (card: VerifyOutcome['card'], error: string, ctx: OperationContext) => Promise<void>;
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
  private shipped?: ImpostorTailsFile;

  constructor(private readonly d: VerifyDeps) {}

  async verify(params: VerifyParams, ctx: OperationContext): Promise<VerifyOutcome> {
    await this.d.directory.settled();
    const reader = this.d.directory.rfReaders().find((r) => r.cardPresent)?.name;
    if (!reader) throw new BridgeError(this.d.directory.rfReaders().length ? 'NO_CARD' : 'NO_READER');
    if (this.busy.has(reader) || this.d.cards.isBusy(reader)) throw new BridgeError('BUSY');
    this.busy.add(reader);
    // From here the verification runs: the ticket's nonce is spent (refusals above left it usable).
    ctx.started?.();
    // The card leaving the reader ends the verification at once, whatever step it is in.
    const ac = new AbortController();
    let cardLeft = false;
    const onLeft = (name: string) => {
      if (name !== reader) return;
      cardLeft = true;
      ac.abort();
    };
    const onCancel = () => ac.abort();
    // set by run() once the card is known, for the audit entry of a call that fails after that
    const identified: { card?: VerifyOutcome['card'] } = {};
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    this.d.cards.on('card-left', onLeft);
    try {
      return await this.run(reader, params, { ...ctx, signal: ac.signal }, identified);
    } catch (e) {
      const error = cardLeft
        ? new BridgeError('CARD_REMOVED')
        : ctx.signal.aborted && !isBridgeError(e, 'SENSOR_REMOVED')
          ? new BridgeError('CANCELLED')
          : e;
      if (identified.card && this.d.auditFailure) {
        const code = error instanceof BridgeError ? error.code : 'INTERNAL';
        // the call's own error is what the caller must see, even if the audit write fails too (the
        // daemon's auditFailure logs that failure itself)
        await this.d.auditFailure(identified.card, code, ctx).catch(() => undefined);
      }
      throw error;
    } finally {
      this.busy.delete(reader);
      this.d.cards.off('card-left', onLeft);
      ctx.signal.removeEventListener('abort', onCancel);
    }
  }

  private async run(
    reader: string,
    params: VerifyParams,
    ctx: OperationContext,
    identified: { card?: VerifyOutcome['card'] },
  ): Promise<VerifyOutcome> {
    const held = await this.cardTemplates(reader, ctx);
    identified.card = cardIdentity(held);
    if (held.documentSignature === 'invalid') {
      throw new BridgeError(
        'CARD_DATA_INVALID',
        'the card failed its document signature check; fingers are not verified',
      );
    }
    this.d.lockout?.check(held.chipSerial);
    const fingers = this.chooseFingers(held, params.fingers);
    const plan = this.plan(params.maxAttempts ?? this.d.policy.defaultMaxAttempts, fingers.length);
    let state = startVerify(plan);
    let compared = false;
    let sensor = '';
    try {
      for (let attempt = 1; attempt <= plan.maxAttempts; attempt++) {
        const base = ((attempt - 1) / plan.maxAttempts) * 100;
        const step = (name: string) =>
          ctx.progress(`attempt-${attempt}:${name}`, Math.round(base + 10 / plan.maxAttempts));
        ctx.progress(`attempt-${attempt}`, Math.round(base));
        const live = await this.d.captureTemplate({
          sensorId: params.sensorId,
          timeoutMs: params.timeoutMs,
          preview: params.preview,
          signal: ctx.signal,
          progress: step,
        });
        sensor = live.sensorId;
        const rejected = attemptRejection(
          { quality: live.quality, minutiae: live.set.minutiae },
          this.d.policy,
        );
        let r: AttemptDecision;
        if (rejected) r = decideAttempt(plan, state, { rejected });
        else {
          const first = await this.d.compareMany(live.set, fingers, ctx.signal);
          // compared from here: a call cancelled while its other views are scored still counts
          compared = true;
          r = await this.decideWithViews(plan, state, live, fingers, first, ctx.signal);
        }
        state = r.state;
        if (r.verdict === 'match') {
          await this.d.lockout?.recordSuccess(held.chipSerial);
          return this.outcome(true, plan, state, fingers, sensor, held);
        }
        const reason = state.reasons[state.reasons.length - 1];
        // the image's quality and minutiae count tell the officer how far the attempt was from usable
        ctx.progress(`attempt-${attempt}:failed`, Math.round(base + 100 / plan.maxAttempts), {
          reason,
          quality: live.quality,
          minutiaeCount: live.set.minutiae.length,
        });
      }
    } catch (e) {
      // Cancelling, pulling the card or letting the capture time out after a compared attempt must
      // not dodge the lockout: the call still counts as failed.
      if (compared) await this.d.lockout?.recordFailure(held.chipSerial);
      throw e;
    }
    if (!compared) {
      throw new BridgeError('POOR_QUALITY', undefined, { reasons: state.reasons, attempts: state.attempts });
    }
    await this.d.lockout?.recordFailure(held.chipSerial);
    return this.outcome(false, plan, state, fingers, sensor, held);
  }

  /**
   * One compared attempt, from its first view's scores: its best live view's score against each card
   * finger decides (bestOfViews). The other views are extracted only when the capture's own template
   * did not match: a higher score cannot undo a match, so the verdict is the one every view would
   * give, and an attempt that matches costs one extraction. `score` then says what the first view
   * reached.
   */
  private async decideWithViews(
    plan: VerifyPlan,
    state: VerifyState,
    live: Awaited<ReturnType<CaptureTemplate>>,
    fingers: MinutiaeSet[],
    first: ArrayLike<number>,
    signal: AbortSignal,
  ): Promise<AttemptDecision> {
    const r = decideAttempt(plan, state, { scores: first });
    if (r.verdict === 'match') return r;
    const perView: ArrayLike<number>[] = [first];
    for (const view of await live.otherViews(signal))
      perView.push(await this.d.compareMany(view, fingers, signal));
    return decideAttempt(plan, state, { scores: bestOfViews(perView) });
  }

  /** The decision plan of one call: the policy's thresholds for this many attempts and card fingers. */
  private plan(maxAttempts: number, fingers: number): VerifyPlan {
    const { targetFmr, combine, tails } = this.d.policy;
    return planVerify({ targetFmr, maxAttempts, fingers, combine }, tails ?? this.tails());
  }

  private tails(): ImpostorTailsFile {
    this.shipped ??= loadImpostorTails();
    return this.shipped;
  }

  private outcome(
    matched: boolean,
    plan: VerifyPlan,
    state: VerifyState,
    fingers: MinutiaeSet[],
    sensor: string,
    held: HeldCard,
  ): VerifyOutcome {
    const compared = new Set(fingers.map((f) => f.fingerPosition));
    // score and threshold are on one comparison's scale (under `sum` per-attempt means: sum / k,
    // T_k / k); rounded so that the reported pair keeps the decision's order.
    const threshold = Math.round(state.best.threshold * 1e4) / 1e4;
    const score = Math.round(state.best.score * 1e4) / 1e4;
    return {
      matched,
      finger: fingers[state.best.finger].fingerPosition,
      score: matched ? Math.max(score, threshold) : Math.min(score, threshold - 1e-4),
      threshold,
      attempts: matched ? state.attempts : plan.maxAttempts,
      reasons: state.reasons,
      sensor,
      card: cardIdentity(held),
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

/** What the receipt and the audit entry say about the card (never its templates). */
function cardIdentity(held: HeldCard): VerifyOutcome['card'] {
  return {
    chipSerial: held.chipSerial,
    documentSignature: held.documentSignature,
    nik: held.nik,
    cardDigest: held.cardDigest,
  };
}

function positionOf(record: Uint8Array): number {
  return decodeIso19794_2(record).fingerPosition;
}
