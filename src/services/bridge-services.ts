import { EventEmitter } from 'node:events';
import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import type { ReaderDirectory } from '../devices/reader-directory.ts';
import type { DeviceKey } from '../keys/device-key.ts';
import { toCardRecord } from './card/card-record.ts';
import type { CardService } from './card/card-service.ts';
import type { SamSession } from './card/sam-session.ts';
import type { BridgeServices, CardField, CardReadParams, Notification, OperationContext } from './types.ts';

export const ALL_CARD_FIELDS: CardField[] = ['biodata', 'photo', 'signature', 'fingers'];

export interface BridgeServicesDeps {
  version: string;
  deviceKey: DeviceKey;
  stack: CardReaderStack;
  directory: ReaderDirectory;
  sam: SamSession;
  cards: CardService;
  /** operation hooks that later work plugs in (receipts, audit); absent = nothing extra */
  onCardRead?: (card: Record<string, unknown>, ctx: OperationContext) => Promise<Record<string, unknown>>;
}

/**
 * The daemon's services behind the server seam: it turns device events into api-v1 notifications
 * and requests into service calls. Field filtering by ticket scope happens here, so a counter app
 * never receives more than its ticket allows.
 */
export class DaemonServices implements BridgeServices {
  private readonly events = new EventEmitter();
  private pcscUp = true;

  constructor(private readonly d: BridgeServicesDeps) {
    this.events.setMaxListeners(0);
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
      sensors: [],
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
      sensors: [],
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
      sensors: [],
    };
  }

  async cardRead(params: CardReadParams, ctx: OperationContext): Promise<Record<string, unknown>> {
    const fields = allowedFields(params.fields ?? ALL_CARD_FIELDS, ctx);
    const outcome = await this.d.cards.read({
      fields,
      timeoutMs: params.timeoutMs,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    const card = toCardRecord(outcome.result, fields);
    const extra = (await this.d.onCardRead?.(card, ctx)) ?? {};
    return { card, ...extra };
  }

  async fingerCapture(): Promise<Record<string, unknown>> {
    throw new BridgeError('NO_SENSOR');
  }

  async fingerVerify(): Promise<Record<string, unknown>> {
    throw new BridgeError('NO_SENSOR');
  }

  async fingerIdentify(): Promise<Record<string, unknown>> {
    throw new BridgeError('NO_SENSOR');
  }

  private notify(method: string, params: Record<string, unknown>): void {
    this.events.emit('n', { method, params } satisfies Notification);
  }
}

/** A ticket's scope limits the fields: card.read returns only what the backend allowed. */
function allowedFields(asked: CardField[], ctx: OperationContext): CardField[] {
  const unique = [...new Set(asked)];
  if (!ctx.ticket) return unique;
  return unique.filter((f) => ctx.ticket!.scope.includes(f));
}
