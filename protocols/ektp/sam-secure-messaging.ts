/**
 * Secure messaging through the SAM (§7): the host never holds session keys. Each protected command is
 * ENCRYPT (SAM) -> the protected APDU to the card -> DECRYPT (SAM) of the card's response data.
 * The SAM's DECRYPT also feeds its document hash while hashing mode is on (§8).
 */
import { BridgeError } from '../errors.ts';
import { parseResponse, type ResponseApdu } from '../iso7816/apdu.ts';
import { swHex } from '../iso7816/status-words.ts';
import { samDecrypt, samEncrypt } from './commands.ts';
import { cardStatusError, type Sequence, samStatusError, transmit } from './steps.ts';

/** Sends one plain command protected; returns the card's inner response (data and status word). */
export function* protectedTransmit(plainApdu: Uint8Array, label: string): Sequence<ResponseApdu> {
  const enc = yield* transmit('sam', samEncrypt(plainApdu), `ENCRYPT ${label}`);
  if (enc.sw !== 0x9000) throw samStatusError(enc.sw, `ENCRYPT ${label}`);
  // A protected APDU is never re-sent with another Le: the MAC covers the counter and the Le object.
  const outer = yield* transmit('card', enc.data, label, { resendOnWrongLe: false });
  if (outer.sw !== 0x9000) {
    // 69 88 outside secure messaging: no session on the card, or it refused our MAC.
    throw cardStatusError(outer.sw, label);
  }
  const dec = yield* transmit('sam', samDecrypt(outer.data), `DECRYPT ${label}`);
  if (dec.sw === 0x6988) {
    throw new BridgeError('CARD_AUTH_FAILED', "The card's protected response did not authenticate", {
      step: label,
      sw: swHex(dec.sw),
    });
  }
  if (dec.sw !== 0x9000) throw samStatusError(dec.sw, `DECRYPT ${label}`);
  if (dec.data.length < 2)
    throw new BridgeError('INTERNAL', 'DECRYPT returned no inner status word', { step: label });
  return parseResponse(dec.data);
}
