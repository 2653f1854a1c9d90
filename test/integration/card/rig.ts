import type { CardReaderStack } from '../../../drivers/pcsc/types.ts';
import type { CardFaults } from '../../../simulator/ektp/card.ts';
import type { Resident } from '../../../simulator/residents/resident.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { type CardSide, createCardSide } from '../../../src/daemon/card-side.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { OpenSamKey } from '../../../src/services/card/sam-session.ts';

/**
 * A counter under test: a reader stack with a simulated card and SAM behind it, either in-process or
 * behind the real pcscd (vpcd). The same scenarios run on both.
 */
export interface CardRig {
  name: string;
  stack: CardReaderStack;
  residents: Resident[];
  samKey(): OpenSamKey;
  /** INS bytes the SAM received */
  samCommands: number[];
  /** places resident i's card on the reader and resolves when the stack has seen it */
  tap(index: number, opts?: { faults?: CardFaults; pullAfter?: number }): Promise<void>;
  /** takes the card away and resolves when the stack has seen it */
  pull(): Promise<void>;
  /** resets the SAM behind the daemon's back (as a power cycle by pcscd does): it is closed again */
  resetSam(): void;
  /** replaces the SAM */
  insertSam(opts: { blocked?: boolean; triesLeft?: number }): Promise<void>;
  close(): Promise<void>;
}

export function cardSideFor(
  rig: CardRig,
  key?: () => OpenSamKey | undefined,
  config: Record<string, unknown> = {},
): CardSide {
  return createCardSide(rig.stack, validateConfig(config), silentLogger(), key ?? (() => rig.samKey()));
}

export function wrongSamKey(): OpenSamKey {
  return { block: new Uint8Array(32).fill(0x11) };
}
