import { openSamBlock } from '../protocols/ektp/commands.ts';
import { type CardFaults, SimulatedCard } from './ektp/card.ts';
import { withCommandLog } from './ektp/device.ts';
import { withPullAfter } from './ektp/pull-after.ts';
import { SimulatedSam } from './ektp/sam.ts';
import { testKeys } from './ektp/test-keys.ts';
import { InProcessReaderStack, SIM_RF_READER, SIM_SAM_READER } from './pcsc/in-process-stack.ts';
import type { Resident } from './residents/resident.ts';
import { makeResident } from './residents/resident.ts';

export interface WorldOptions {
  /** seed of the first synthetic resident; resident i has seed `seed + i` */
  seed?: number;
  /** how many residents the world knows (the card of resident 0 is on the reader at start) */
  residents?: number;
  /** start with no card on the reader */
  noCard?: boolean;
}

/**
 * The simulated counter for `serve --simulate` and in-process tests: an RF reader, a SAM reader with
 * a test SAM, synthetic residents, and controls to tap or pull a card. It sits behind the same
 * CardReaderStack seam as pcsclite, so the daemon runs unchanged on it.
 */
export class SimulatedWorld {
  readonly stack = new InProcessReaderStack();
  readonly residents: Resident[];
  readonly keys = testKeys();
  sam: SimulatedSam;
  /** INS byte of every command the SAM received, in order (tests count OPEN SAM = F0) */
  readonly samCommands: number[] = [];

  constructor(opts: WorldOptions = {}) {
    const seed = opts.seed ?? 1;
    this.residents = Array.from({ length: opts.residents ?? 5 }, (_, i) => makeResident(seed + i));
    this.sam = this.insertSam({});
    if (!opts.noCard) this.tapCard(0);
  }

  /** Puts a (new) test SAM in the SAM slot, for example a blocked one. */
  insertSam(opts: { blocked?: boolean; triesLeft?: number }): SimulatedSam {
    const sam = new SimulatedSam({
      masterKey: this.keys.masterKey,
      pcid: this.keys.pcid,
      conf: this.keys.conf,
      issuerPublicKeySpkiPem: this.keys.issuerPublicKeySpkiPem,
      ...opts,
    });
    this.sam = sam;
    this.stack.insert(SIM_SAM_READER, withCommandLog(sam, this.samCommands));
    return sam;
  }

  /** the OPEN SAM key matching the simulated SAM (the test PCID/CONF, never a real installation's) */
  samKey(): { block: Uint8Array } {
    return { block: openSamBlock(this.keys.pcid, this.keys.conf) };
  }

  tapCard(index: number, opts: { faults?: CardFaults; pullAfter?: number } = {}): SimulatedCard {
    const resident = this.residents[index];
    if (!resident) throw new RangeError(`no resident ${index} (the world has ${this.residents.length})`);
    const card = new SimulatedCard({ resident, masterKey: this.keys.masterKey, faults: opts.faults });
    this.stack.insert(
      SIM_RF_READER,
      opts.pullAfter === undefined ? card : withPullAfter(card, opts.pullAfter),
    );
    return card;
  }

  pullCard(): void {
    this.stack.remove(SIM_RF_READER);
  }
}
