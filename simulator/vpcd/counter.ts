import { type CardFaults, SimulatedCard } from '../ektp/card.ts';
import type { SimulatedDevice } from '../ektp/device.ts';
import { SimulatedSam } from '../ektp/sam.ts';
import { testKeys } from '../ektp/test-keys.ts';
import { makeResidents, type Resident } from '../residents/resident.ts';
import { VPCD_BASE_PORT, VpcdLink } from './link.ts';

export interface VpcdCounterOptions {
  host?: string;
  basePort?: number;
  seed?: number;
  residents?: number;
  log?: (msg: string) => void;
  /**
   * A slot could not connect to vpcd (pcscd not running, no vpcd reader configured, wrong host or
   * port). Called once per outage: again only after the slot was inserted and lost since.
   */
  onUnreachable?: (slot: 0 | 1, address: { host: string; port: number }, err: Error) => void;
}

/** What `list` shows: which resident's card is on the reader and which slots vpcd holds. */
export interface CounterStatus {
  /** the resident whose card is on the reader (tapped, not pulled), with its faults */
  card?: { index: number; faults: CardFaults };
  cardInserted: boolean;
  samInserted: boolean;
}

/**
 * The simulated counter behind pcscd (`ektp-bridge simulate`): the test SAM in vpcd slot 1 and a
 * resident's card in slot 0. A link that pcscd drops (pcscd restarted) or cannot reach yet is
 * re-inserted every second, so the simulator outlives pcscd restarts like a real reader does.
 */
export class VpcdCounter {
  readonly residents: Resident[];
  private readonly keys = testKeys();
  private samLink: VpcdLink | undefined;
  private cardLink: VpcdLink | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wantCard = false;
  private card: CounterStatus['card'];
  /** links whose connection failure was reported, until they are inserted */
  private readonly reported = new WeakSet<VpcdLink>();

  constructor(private readonly opts: VpcdCounterOptions = {}) {
    this.residents = makeResidents(opts.residents ?? 5, opts.seed ?? 1);
  }

  start(): void {
    this.samLink = this.link(
      new SimulatedSam({ ...this.keys, issuerPublicKeySpkiPem: this.keys.issuerPublicKeySpkiPem }),
      1,
    );
    this.timer = setInterval(() => this.keepInserted(), 1000);
    this.keepInserted();
  }

  tap(index: number, faults?: CardFaults): void {
    const resident = this.residents[index];
    if (!resident)
      throw new RangeError(
        `no resident ${index}: residents are 0 to ${this.residents.length - 1} (\`list\` shows them)`,
      );
    void this.cardLink?.remove();
    this.cardLink = this.link(new SimulatedCard({ resident, masterKey: this.keys.masterKey, faults }), 0);
    this.wantCard = true;
    this.card = { index, faults: { ...faults } };
    this.keepInserted();
  }

  pull(): void {
    this.wantCard = false;
    this.card = undefined;
    void this.cardLink?.remove();
  }

  /** vpcd's address of a slot */
  address(slot: 0 | 1): { host: string; port: number } {
    return { host: this.opts.host ?? '127.0.0.1', port: (this.opts.basePort ?? VPCD_BASE_PORT) + slot };
  }

  status(): CounterStatus {
    return {
      ...(this.card ? { card: this.card } : {}),
      cardInserted: this.wantCard && !!this.cardLink?.inserted,
      samInserted: !!this.samLink?.inserted,
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.wantCard = false;
    await this.cardLink?.remove();
    await this.samLink?.remove();
  }

  private link(device: SimulatedDevice, slot: 0 | 1): VpcdLink {
    const l = new VpcdLink({
      device,
      ...this.address(slot),
      slot,
    });
    l.on('error', () => {});
    l.on('removed', (why) => this.opts.log?.(`${slot === 0 ? 'card' : 'SAM'} removed (${why})`));
    l.on('inserted', () => {
      this.reported.delete(l);
      this.opts.log?.(`${slot === 0 ? 'card' : 'SAM'} inserted`);
    });
    return l;
  }

  private readonly connecting = new Set<VpcdLink>();

  /** one connection attempt per link at a time: vpcd serves a single client per slot */
  private keepInserted(): void {
    const want = [this.samLink, this.wantCard ? this.cardLink : undefined];
    for (const link of want) {
      if (!link || link.inserted || this.connecting.has(link)) continue;
      this.connecting.add(link);
      void link
        .insert()
        .catch((e: Error) => {
          // a card link replaced by the next tap, or pulled meanwhile, has nothing to report
          if (this.reported.has(link)) return;
          if (link !== this.samLink && (link !== this.cardLink || !this.wantCard)) return;
          this.reported.add(link);
          const slot = link === this.samLink ? 1 : 0;
          this.opts.onUnreachable?.(slot, this.address(slot), e);
        })
        .finally(() => this.connecting.delete(link));
    }
  }
}
