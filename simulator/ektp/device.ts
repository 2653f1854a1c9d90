/**
 * The seam every simulated smart card shares: what the vpcd link (simulator/vpcd) and in-process tests
 * drive. Synchronous on purpose: a simulated card answers at once; transports add the asynchrony.
 */
export interface SimulatedDevice {
  readonly atr: Uint8Array;
  /** cold start: the card forgets selections and sessions (pcscd powers idle cards off and on) */
  powerOn(): void;
  /** warm reset: same state loss as power-on */
  reset(): void;
  /** one command APDU in, one response APDU out; an empty response means the card is gone */
  transmit(apdu: Uint8Array): Uint8Array;
}

/** ISO/IEC 7816-3 TCK: XOR of every byte from T0 to the last historical byte. */
function withTck(bytes: number[]): Uint8Array {
  let tck = 0;
  for (let i = 1; i < bytes.length; i++) tck ^= bytes[i];
  return Uint8Array.from([...bytes, tck]);
}

/**
 * PC/SC part 3 ATR of an ISO 14443-4 card: 3B 8n 80 01 <historical bytes> TCK. The historical bytes
 * (here "KTPEL") are what a real reader builds from ATS; pcscd only needs a well-formed ATR.
 */
export function contactlessAtr(historical: Uint8Array = new TextEncoder().encode('KTPEL')): Uint8Array {
  if (historical.length > 15) throw new RangeError('at most 15 historical bytes');
  return withTck([0x3b, 0x80 | historical.length, 0x80, 0x01, ...historical]);
}

/** A T=1 contact ATR: 3B 8K 81 31 FE 45 <historical> TCK (IFSC 254). */
export function samAtr(historical: Uint8Array = new TextEncoder().encode('SAMKTP01')): Uint8Array {
  if (historical.length > 15) throw new RangeError('at most 15 historical bytes');
  return withTck([0x3b, 0x80 | historical.length, 0x81, 0x31, 0xfe, 0x45, ...historical]);
}

/** The same device, recording the INS byte of every command it receives (tests count OPEN SAM). */
export function withCommandLog(device: SimulatedDevice, log: number[]): SimulatedDevice {
  return {
    get atr() {
      return device.atr;
    },
    powerOn: () => device.powerOn(),
    reset: () => device.reset(),
    transmit(apdu) {
      log.push(apdu[1]);
      return device.transmit(apdu);
    },
  };
}
