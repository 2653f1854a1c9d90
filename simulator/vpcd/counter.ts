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
    if (!resident) throw new RangeError(`no resident ${index}`);
    void this.cardLink?.remove();
    this.cardLink = this.link(new SimulatedCard({ resident, masterKey: this.keys.masterKey, faults }), 0);
    this.wantCard = true;
    this.keepInserted();
  }

  pull(): void {
    this.wantCard = false;
    void this.cardLink?.remove();
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
      host: this.opts.host,
      port: (this.opts.basePort ?? VPCD_BASE_PORT) + slot,
      slot,
    });
    l.on('error', () => {});
    l.on('removed', (why) => this.opts.log?.(`${slot === 0 ? 'card' : 'SAM'} removed (${why})`));
    l.on('inserted', () => this.opts.log?.(`${slot === 0 ? 'card' : 'SAM'} inserted`));
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
        .catch(() => {})
        .finally(() => this.connecting.delete(link));
    }
  }
}
