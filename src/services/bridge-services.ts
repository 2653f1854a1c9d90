import { EventEmitter } from 'node:events';
import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { API_VERSION } from '../../protocols/api-version.ts';
import { BridgeError } from '../../protocols/errors.ts';
import type { AuditRecord } from '../audit/audit-entry.ts';
import { canonicalJson } from '../audit/canonical-json.ts';
import { LIVE_VIEWS } from '../biometrics/extract/parameters.ts';
import { DEFAULT_THRESHOLD } from '../biometrics/match/index.ts';
import type { MatchPool } from '../biometrics/pool/index.ts';
import { loadImpostorTails, maxAttemptsCap, planVerify } from '../biometrics/verify-policy/index.ts';
import type { ConfigFileStatus } from '../config/config-file-status.ts';
import type { ReaderDirectory } from '../devices/reader-directory.ts';
import type { GalleryStore } from '../gallery/gallery-store.ts';
import type { DeviceKey } from '../keys/device-key.ts';
import { cardDigestOf, type ReceiptInput, sha256Digest } from '../receipts/index.ts';
import { fieldsWithinScope } from '../security/scope.ts';
import { toCardRecord } from './card/card-record.ts';
import type { CardService } from './card/card-service.ts';
import { CardTemplates } from './card/card-templates.ts';
import type { SamSession } from './card/sam-session.ts';
import type { CaptureParams } from './finger/capture-service.ts';
import type { FingerSide } from './finger/finger-side.ts';
import type { VerifyLockout } from './finger/verify-lockout.ts';
import { type VerifyParams, type VerifyPolicyConfig, VerifyService } from './finger/verify-service.ts';
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
  /**
   * Appends an audit entry with no receipt: a finger.verify that failed after the card was
   * identified (VerifyDeps.auditFailure). Absent in tests that do not need one.
   */
  audit?: (record: AuditRecord) => Promise<void>;
  finger: FingerSide;
  pool: Pick<MatchPool, 'compareMany' | 'stats'>;
  /** card.idleWipeMs: templates of a card left on the reader are wiped after this long unused */
  idleWipeMs: number;
  /** finger.verify's decision policy (config verify.*, finger.*) */
  verifyPolicy: VerifyPolicyConfig & { lockoutFailures: number; lockoutSeconds: number };
  /** per-card lockout of finger.verify (state in dataDir) */
  lockout?: VerifyLockout;
  /** the signed galleries finger.identify searches (docs/gallery.md); none when absent */
  galleries?: Pick<GalleryStore, 'identify' | 'names' | 'summary'>;
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
  /** from the stack's state at start (a pcscd down then sends no change), then its events */
  private pcscUp: boolean;
  private readonly templates: CardTemplates;
  private readonly verifier: VerifyService;
  private readonly policyInfo: Record<string, unknown>;

  constructor(private readonly d: BridgeServicesDeps) {
    this.events.setMaxListeners(0);
    this.templates = new CardTemplates(d.cards, d.idleWipeMs);
    this.verifier = new VerifyService({
      directory: d.directory,
      cards: d.cards,
      templates: this.templates,
      captureTemplate: (req) => d.finger.captureTemplate({ ...req, liveViews: true }),
      compareMany: (probe, gallery, signal) => d.pool.compareMany(probe, gallery, signal),
      policy: d.verifyPolicy,
      lockout: d.lockout,
      auditFailure: async (card, error, ctx) =>
        d.audit?.({
          op: 'finger.verify',
          nonce: ctx.ticket?.nonce,
          origin: ctx.origin,
          ...card,
          error,
          daemonVersion: d.version,
        }),
    });
    // planned once here so that a target the measurement cannot vouch for stops the daemon at start
    try {
      this.policyInfo = this.verifyPolicy();
    } catch (e) {
      throw new Error(`verify.targetFmr: ${(e as Error).message}`, { cause: e });
    }
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
    this.pcscUp = stack.serviceUp ?? true;
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
      // what the client SDK checks at connect() (VERSION_MISMATCH)
      apiVersion: API_VERSION,
      deviceId: this.d.deviceKey.deviceId,
      devicePublicKey: this.d.deviceKey.publicJwk,
      profiles: ['ektp-v1'],
      sensors: this.d.finger.sensors.capabilities(),
      verifyPolicy: this.policyInfo,
      galleries: this.d.galleries?.summary() ?? [],
    };
  }

  /**
   * system.info's verifyPolicy (api-v1 "Verify policy"): the per-call target and lockout, and how a
   * default call decides with a two-finger card (under `sum` the stage thresholds are sums of k
   * attempt scores; under `best` every stage is T_1, one comparison's threshold), and how many live
   * views of a capture each attempt scores.
   */
  private verifyPolicy(): Record<string, unknown> {
    const p = this.d.verifyPolicy;
    const tails = p.tails ?? loadImpostorTails();
    const plan = planVerify(
      { targetFmr: p.targetFmr, maxAttempts: p.defaultMaxAttempts, fingers: 2, combine: p.combine },
      tails,
    );
    return {
      targetFmr: p.targetFmr,
      maxAttempts: plan.maxAttempts,
      maxAttemptsCap: maxAttemptsCap(p.targetFmr, 2, tails),
      lockoutFailures: p.lockoutFailures,
      lockoutSeconds: p.lockoutSeconds,
      minQuality: p.minQuality,
      minMinutiae: p.minMinutiae,
      combine: plan.combine,
      rule: plan.combine === 'sum' ? 'sum-per-card-finger' : 'best-single-comparison',
      stageThresholds: plan.stageThresholds,
      tailsMeasured: tails.measured,
      liveViews: LIVE_VIEWS.length,
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
    const { reader, result } = await this.d.cards.read({
      fields,
      timeoutMs: params.timeoutMs,
      signal: ctx.signal,
      progress: ctx.progress,
      onStart: ctx.started,
    });
    const card = toCardRecord(result, fields);
    // The digest is of this very object, which goes out unchanged: what the backend recomputes.
    const cardDigest = cardDigestOf(card);
    this.templates.bindCardDigest(reader, result, cardDigest);
    const receipt = await this.d.record({
      op: 'card.read',
      nonce: ctx.ticket?.nonce,
      origin: ctx.origin,
      nik: typeof card.nik === 'string' ? card.nik : undefined,
      chipSerial: result.chipSerial,
      documentSignature: result.documentSignature,
      cardDigest,
      daemonVersion: this.d.version,
    });
    return { card, receipt };
  }

  /**
   * finger.capture: the image is signed like the other results, through its digest: the receipt's
   * `imageDigest` is SHA-256 of the PNG bytes of `image`, so a backend can tell the image it was
   * forwarded is the one this sensor took.
   */
  async fingerCapture(
    params: Record<string, unknown>,
    ctx: OperationContext,
  ): Promise<Record<string, unknown>> {
    const result = await this.d.finger.capture.capture(params as CaptureParams, ctx);
    const receipt = await this.d.record({
      op: 'finger.capture',
      nonce: ctx.ticket?.nonce,
      origin: ctx.origin,
      imageDigest: sha256Digest(Buffer.from(result.image, 'base64')),
      ...this.sensorClaims(result.sensorId),
      daemonVersion: this.d.version,
    });
    return { ...result, receipt };
  }

  /** sensor, sensorDriver, sensorModel, sensorSerial claims of a sensor id (absent when unknown) */
  private sensorClaims(sensorId: string): Partial<ReceiptInput> {
    const id = this.d.finger.sensors.identity(sensorId);
    return {
      sensor: sensorId,
      sensorDriver: id?.driver,
      sensorModel: id?.model,
      sensorSerial: id?.serial,
    };
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
      nik: out.card.nik,
      chipSerial: out.card.chipSerial,
      documentSignature: out.card.documentSignature,
      cardDigest: out.card.cardDigest,
      templatesDigest: out.templatesDigest,
      matched: out.matched,
      finger: out.finger,
      score: out.score,
      threshold: out.threshold,
      ...this.sensorClaims(out.sensor),
      daemonVersion: this.d.version,
    });
    const result = {
      matched: out.matched,
      finger: out.finger,
      score: out.score,
      threshold: out.threshold,
      attempts: out.attempts,
      receipt,
    };
    // why each attempt failed (POOR_QUALITY, TOO_FEW_MINUTIAE, NOT_MATCHED): only in the error's
    // detail, so a match's result keeps its documented fields
    if (!out.matched)
      throw new BridgeError('FINGER_NOT_MATCHED', undefined, { ...result, reasons: out.reasons });
    return result;
  }

  /** wipes every card's templates (daemon shutdown) */
  close(): void {
    this.templates.wipeAll();
  }

  /**
   * 1:N identification against a signed local gallery (docs/gallery.md): one live capture, searched
   * in the pool's shared copy of the gallery; the `topK` best entries, best first, with the
   * per-comparison threshold (DEFAULT_THRESHOLD, FMR 0.1 % for one comparison; not finger.verify's
   * per-call stage thresholds) for the caller to judge them by, and a receipt binding them.
   */
  async fingerIdentify(
    params: Record<string, unknown>,
    ctx: OperationContext,
  ): Promise<Record<string, unknown>> {
    const name = String(params.gallery);
    const galleries = this.d.galleries;
    if (!galleries?.names().includes(name)) {
      throw new BridgeError('INVALID_PARAMS', `gallery "${name}" does not exist on this device`, {
        field: 'gallery',
        galleries: galleries?.names() ?? [],
      });
    }
    // From here the search runs: the ticket's nonce is spent (refusals above left it usable).
    ctx.started?.();
    const live = await this.d.finger.captureTemplate({
      sensorId: params.sensorId as string | undefined,
      timeoutMs: params.timeoutMs as number | undefined,
      signal: ctx.signal,
      progress: (step) => ctx.progress(step, 50),
    });
    ctx.progress('searching', 90);
    const { candidates, digest } = await galleries.identify(
      name,
      live.set,
      (params.topK as number) ?? 5,
      ctx.signal,
    );
    // signed like the other results: the candidates through their digest, the gallery by version
    const receipt = await this.d.record({
      op: 'finger.identify',
      nonce: ctx.ticket?.nonce,
      origin: ctx.origin,
      gallery: name,
      galleryDigest: digest,
      candidatesDigest: sha256Digest(canonicalJson(candidates)),
      ...this.sensorClaims(live.sensorId),
      daemonVersion: this.d.version,
    });
    return { candidates, threshold: DEFAULT_THRESHOLD, sensorId: live.sensorId, receipt };
  }

  private notify(method: string, params: Record<string, unknown>): void {
    this.events.emit('n', { method, params } satisfies Notification);
  }
}
