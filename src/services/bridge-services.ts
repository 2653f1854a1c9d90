import { EventEmitter } from 'node:events';
import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import { DEFAULT_THRESHOLD } from '../biometrics/match/index.ts';
import type { MatchPool } from '../biometrics/pool/index.ts';
import type { ConfigFileStatus } from '../config/config-file-status.ts';
import type { ReaderDirectory } from '../devices/reader-directory.ts';
import type { DeviceKey } from '../keys/device-key.ts';
import type { ReceiptInput } from '../receipts/index.ts';
import { fieldsWithinScope } from '../security/scope.ts';
import { toCardRecord } from './card/card-record.ts';
import type { CardService } from './card/card-service.ts';
import { CardTemplates } from './card/card-templates.ts';
import type { SamSession } from './card/sam-session.ts';
import type { CaptureParams } from './finger/capture-service.ts';
import type { FingerSide } from './finger/finger-side.ts';
import { type VerifyParams, VerifyService } from './finger/verify-service.ts';
import {
  type BridgeServices,
  CARD_FIELDS,
  type CardReadParams,
  type Notification,
  type OperationContext,
} from './types.ts';

export interface BridgeServicesDeps {
  version: string;
  deviceKey: DeviceKey;
  stack: CardReaderStack;
  directory: ReaderDirectory;
  sam: SamSession;
  cards: CardService;
  /**
   * Signs the receipt of a result and appends its audit entry; resolves once the entry is on disk
   * (src/audit/sign-and-record.ts). No result leaves the daemon unrecorded.
   */
  record: (input: ReceiptInput) => Promise<string>;
  finger: FingerSide;
  pool: Pick<MatchPool, 'compareMany' | 'stats'>;
  /** card.idleWipeMs: templates of a card left on the reader are wiped after this long unused */
  idleWipeMs: number;
  defaultMaxAttempts: number;
  /** decision threshold (default: FMR 0.1% on FVC2002, src/biometrics/match/thresholds.ts) */
  threshold?: number;
  /** the configuration file on disk against what was loaded; /health reports it */
  configStatus?: () => ConfigFileStatus;
}

/**
 * The daemon's services behind the server seam: it turns device events into api-v1 notifications
 * and requests into service calls. Field filtering by ticket scope happens here, so a counter app
 * never receives more than its ticket allows.
 */
export class DaemonServices implements BridgeServices {
  private readonly events = new EventEmitter();
  private pcscUp = true;
  private readonly templates: CardTemplates;
  private readonly verifier: VerifyService;

  constructor(private readonly d: BridgeServicesDeps) {
    this.events.setMaxListeners(0);
    this.templates = new CardTemplates(d.cards, d.idleWipeMs);
    this.verifier = new VerifyService({
      directory: d.directory,
      cards: d.cards,
      templates: this.templates,
      captureTemplate: (req) => d.finger.captureTemplate(req),
      compareMany: (probe, gallery, signal) => d.pool.compareMany(probe, gallery, signal),
      threshold: d.threshold ?? DEFAULT_THRESHOLD,
      defaultMaxAttempts: d.defaultMaxAttempts,
    });
    d.finger.onNotification((n) => this.events.emit('n', n));
    const { stack, directory } = d;
    stack.on('reader-added', (name) => this.notify('reader.added', { name, role: directory.roleOf(name) }));
    stack.on('reader-removed', (name) => this.notify('reader.removed', { name }));
    stack.on('card-inserted', (name) => {
      if (directory.roleOf(name) !== 'sam') this.notify('card.inserted', { reader: name });
    });
    stack.on('card-removed', (name) => {
      if (directory.roleOf(name) !== 'sam') this.notify('card.removed', { reader: name });
    });
    stack.on('service-state', (up) => {
      this.pcscUp = up;
    });
  }

  onNotification(listener: (n: Notification) => void): () => void {
    this.events.on('n', listener);
    return () => this.events.off('n', listener);
  }

  async systemInfo(): Promise<Record<string, unknown>> {
    return {
      version: this.d.version,
      deviceId: this.d.deviceKey.deviceId,
      devicePublicKey: this.d.deviceKey.publicJwk,
      profiles: ['ektp-v1'],
      sensors: this.d.finger.sensors.capabilities(),
    };
  }

  async deviceList(): Promise<Record<string, unknown>> {
    await this.d.directory.settled();
    return {
      readers: this.d.directory.list().map((r) => ({
        name: r.name,
        role: r.role,
        state: r.cardPresent ? 'card-present' : 'empty',
      })),
      sensors: this.d.finger.sensors
        .list()
        .map(({ id, driver, name, state }) => ({ id, driver, name, state })),
    };
  }

  async health(): Promise<{ ok: boolean } & Record<string, unknown>> {
    const readers = this.d.directory.list();
    const rf = readers.filter((r) => r.role === 'rf');
    const sam = this.d.sam.state;
    const ok = this.pcscUp && rf.length > 0 && sam !== 'blocked' && sam !== 'auth-failed' && sam !== 'absent';
    return {
      ok,
      pcsc: this.pcscUp ? 'up' : 'down',
      readers: readers.map((r) => ({ name: r.name, role: r.role, cardPresent: r.cardPresent })),
      sam,
      sensors: this.d.finger.sensors.list(),
      pool: this.d.pool.stats(),
      cardsHeld: this.templates.size,
      // the daemon keeps running on the configuration it loaded; an edit shows here (not in `ok`)
      ...(this.d.configStatus ? { config: this.d.configStatus() } : {}),
    };
  }

  async cardRead(params: CardReadParams, ctx: OperationContext): Promise<Record<string, unknown>> {
    const fields = fieldsWithinScope(params.fields, CARD_FIELDS, ctx.ticket);
    const { result } = await this.d.cards.read({
      fields,
      timeoutMs: params.timeoutMs,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    const card = toCardRecord(result, fields);
    const receipt = await this.d.record({
      op: 'card.read',
      nonce: ctx.ticket?.nonce,
      origin: ctx.origin,
      nik: result.biodata?.nik ?? '',
      chipSerial: result.chipSerial,
      documentSignature: result.documentSignature,
    });
    return { card, receipt };
  }

  async fingerCapture(
    params: Record<string, unknown>,
    ctx: OperationContext,
  ): Promise<Record<string, unknown>> {
    return { ...(await this.d.finger.capture.capture(params as CaptureParams, ctx)) };
  }

  /**
   * finger.verify: a match returns { matched: true, ... , receipt }; no match after maxAttempts is
   * the error FINGER_NOT_MATCHED whose data carries the same fields and the signed receipt, so the
   * backend gets a receipt for every decision.
   */
  async fingerVerify(
    params: Record<string, unknown>,
    ctx: OperationContext,
  ): Promise<Record<string, unknown>> {
    const out = await this.verifier.verify(params as VerifyParams, ctx);
    const receipt = await this.d.record({
      op: 'finger.verify',
      nonce: ctx.ticket?.nonce,
      origin: ctx.origin,
      nik: out.card.nik ?? '',
      chipSerial: out.card.chipSerial,
      documentSignature: out.card.documentSignature,
      matched: out.matched,
      finger: out.finger,
      score: out.score,
      threshold: out.threshold,
      sensor: out.sensor,
    });
    const result = {
      matched: out.matched,
      finger: out.finger,
      score: out.score,
      threshold: out.threshold,
      attempts: out.attempts,
      receipt,
    };
    if (!out.matched) throw new BridgeError('FINGER_NOT_MATCHED', undefined, result);
    return result;
  }

  /** wipes every card's templates (daemon shutdown) */
  close(): void {
    this.templates.wipeAll();
  }

  /**
   * 1:N identification against a local gallery (architecture.md "Identify"). No issue has asked for
   * gallery provisioning yet, so no gallery exists on a device: say exactly that.
   */
  async fingerIdentify(params: Record<string, unknown>): Promise<Record<string, unknown>> {
    throw new BridgeError(
      'INVALID_PARAMS',
      `gallery "${String(params.gallery)}" does not exist on this device`,
      {
        galleries: [],
      },
    );
  }

  private notify(method: string, params: Record<string, unknown>): void {
    this.events.emit('n', { method, params } satisfies Notification);
  }
}
