/**
 * Pure handling of the two ISO/IEC 7816-4 "try again" status families, as a generator the caller drives:
 * yield = an APDU to transmit, next(raw) = its raw response, return = the final response.
 *
 * - `61xx`: more data waits; GET RESPONSE (Le = xx) and concatenate, possibly several times.
 * - `6Cxx`: wrong Le; send the same command again with Le = xx.
 * A response shorter than two bytes throws ResponseTooShortError: the caller maps it (card removal).
 */
import { decodeCommand, encodeCommand, parseResponse, type ResponseApdu } from './apdu.ts';
import { concat } from './bytes.ts';

export class ResponseTooShortError extends RangeError {
  constructor() {
    super('response shorter than a status word');
    this.name = 'ResponseTooShortError';
  }
}

export interface ExchangeOptions {
  /** false for commands that must never be replayed (e.g. secure messaging: the MAC covers Le) */
  resendOnWrongLe?: boolean;
  /** stops a device that answers 61xx forever */
  maxRounds?: number;
}

export function getResponseCommand(ne: number): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, ne });
}

export function* exchange(
  apdu: Uint8Array,
  opts: ExchangeOptions = {},
): Generator<Uint8Array, ResponseApdu, Uint8Array | undefined> {
  const maxRounds = opts.maxRounds ?? 64;
  let toSend = apdu;
  let collected: Uint8Array = new Uint8Array(0);
  let resent = false;
  for (let round = 0; round < maxRounds; round++) {
    const raw = yield toSend;
    if (raw === undefined || raw.length < 2) throw new ResponseTooShortError();
    const res = parseResponse(raw);
    if (res.sw1 === 0x61) {
      collected = concat(collected, res.data);
      toSend = getResponseCommand(res.sw2 === 0 ? 256 : res.sw2);
      continue;
    }
    if (res.sw1 === 0x6c && opts.resendOnWrongLe !== false && !resent) {
      // Only once: a device that keeps answering 6Cxx would otherwise loop.
      resent = true;
      const cmd = decodeCommand(apdu);
      toSend = encodeCommand({ ...cmd, ne: res.sw2 === 0 ? 256 : res.sw2 }, { extended: cmd.extended });
      continue;
    }
    const data = collected.length > 0 ? concat(collected, res.data) : res.data;
    return { ...res, data };
  }
  throw new RangeError('too many GET RESPONSE rounds');
}
