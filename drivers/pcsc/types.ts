import type { EventEmitter } from 'node:events';

/**
 * The card-reader seam. The pcsclite driver implements it for real readers (and for vpcd behind
 * pcscd); the in-process simulator implements it for `serve --simulate`. Nothing here knows e-KTP.
 */
export interface ReaderInfo {
  name: string;
  /** true while a card (or SAM) is present in the slot */
  cardPresent: boolean;
  atr?: Uint8Array;
}

export interface CardChannel {
  readonly readerName: string;
  readonly atr: Uint8Array;
  /**
   * Sends one command APDU, resolves with the response APDU (data || SW1 SW2).
   * Rejects with BridgeError('CARD_REMOVED') when the card is gone (a response shorter than two
   * bytes counts as removal).
   */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Reader escape / control codes (e.g. SAM socket select); optional on simulated readers. */
  control?(code: number, data: Uint8Array): Promise<Uint8Array>;
  /** Exclusive access for a multi-APDU sequence in SHARED mode. */
  beginTransaction(): Promise<void>;
  endTransaction(): Promise<void>;
  /** Disconnects, leaving the card powered (SCARD_LEAVE_CARD). */
  close(): Promise<void>;
}

export interface CardReaderStackEvents {
  'reader-added': [name: string];
  'reader-removed': [name: string];
  'card-inserted': [name: string, atr: Uint8Array];
  'card-removed': [name: string];
  /** the stack lost its backend (pcscd down) and is retrying; `up` false while down */
  'service-state': [up: boolean];
}

export interface CardReaderStack extends EventEmitter<CardReaderStackEvents> {
  /**
   * Whether the backend (pcscd) is reachable now; 'service-state' reports each change after. A stack
   * without one (the simulator's) is always up.
   */
  readonly serviceUp?: boolean;
  readers(): ReaderInfo[];
  connect(readerName: string): Promise<CardChannel>;
  close(): Promise<void>;
}
