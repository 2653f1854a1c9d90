/**
 * The sans-IO contract between the profile sequences and whoever owns the readers (src/ or a test):
 * a sequence yields `transmit` steps (send these bytes to the card or the SAM, give me the raw
 * response back through next()) and `progress` steps (next(undefined)), and returns its result.
 * This file also holds the one place where a status word becomes a BridgeError.
 */
import { BridgeError } from '../errors.ts';
import type { ResponseApdu } from '../iso7816/apdu.ts';
import { exchange, ResponseTooShortError } from '../iso7816/exchange.ts';
import { swHex, swName } from '../iso7816/status-words.ts';

export type Target = 'card' | 'sam';

export type Step =
  | { kind: 'transmit'; target: Target; apdu: Uint8Array; label: string }
  | { kind: 'progress'; step: string; percent: number };

export type Sequence<T> = Generator<Step, T, Uint8Array | undefined>;

function removed(target: Target, label: string): BridgeError {
  return target === 'card'
    ? new BridgeError('CARD_REMOVED', undefined, { step: label })
    : new BridgeError('NO_SAM', 'The SAM stopped answering (removed or powered down)', {
        step: label,
        samRemoved: true,
      });
}

/**
 * One command, 61xx/6Cxx handled (through iso7816/exchange). Labels name the command and the file,
 * never personal data: the driver may log them.
 */
export function* transmit(
  target: Target,
  apdu: Uint8Array,
  label: string,
  opts: { resendOnWrongLe?: boolean } = {},
): Sequence<ResponseApdu> {
  const ex = exchange(apdu, opts);
  let r = ex.next();
  while (!r.done) {
    const raw = yield { kind: 'transmit', target, apdu: r.value, label };
    if (raw === undefined || raw.length < 2) throw removed(target, label);
    try {
      r = ex.next(raw);
    } catch (e) {
      if (e instanceof ResponseTooShortError) throw removed(target, label);
      throw e;
    }
  }
  return r.value;
}

export function* progress(step: string, percent: number): Sequence<void> {
  yield { kind: 'progress', step, percent };
}

/** Status words every SAM command may answer, whatever the step (§4, §11). */
export function samStatusError(sw: number, label: string): BridgeError {
  const detail = { step: label, sw: swHex(sw) };
  if (sw === 0x6983) return new BridgeError('SAM_LOCKED', undefined, detail);
  if (sw === 0x6985) {
    // Not open (power cycle, reset, never opened) or a session lost: the service must OPEN SAM again.
    return new BridgeError('NO_SAM', 'The SAM is not open: OPEN SAM is needed first', {
      ...detail,
      samOpen: false,
    });
  }
  if (sw === 0x6d00 || sw === 0x6e00) {
    return new BridgeError('NO_SAM', 'The device in the SAM slot does not answer SAM commands', detail);
  }
  return new BridgeError('INTERNAL', `SAM answered ${swHex(sw)} (${swName(sw)})`, detail);
}

/** Status words of the card outside the steps that give them a special meaning. */
export function cardStatusError(sw: number, label: string): BridgeError {
  const detail = { step: label, sw: swHex(sw) };
  switch (sw) {
    case 0x6a82:
    case 0x6d00:
    case 0x6e00:
    case 0x6a86:
      return new BridgeError('CARD_UNSUPPORTED', `Card answered ${swHex(sw)} (${swName(sw)})`, detail);
    case 0x6300:
    case 0x6982:
    case 0x6988:
      return new BridgeError('CARD_AUTH_FAILED', `Card answered ${swHex(sw)} (${swName(sw)})`, detail);
    default:
      return new BridgeError('CARD_DATA_INVALID', `Card answered ${swHex(sw)} (${swName(sw)})`, detail);
  }
}

export function* expectOk(target: Target, apdu: Uint8Array, label: string): Sequence<ResponseApdu> {
  const res = yield* transmit(target, apdu, label);
  if (res.sw !== 0x9000)
    throw target === 'card' ? cardStatusError(res.sw, label) : samStatusError(res.sw, label);
  return res;
}

/** Counts the transmit steps a sequence yields (the APDU figure of EktpReadResult). */
export function* counted<T>(seq: Sequence<T>, counter: { n: number }): Sequence<T> {
  let r = seq.next();
  while (!r.done) {
    if (r.value.kind === 'transmit') counter.n++;
    r = seq.next(yield r.value);
  }
  return r.value;
}
