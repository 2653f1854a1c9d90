/**
 * Mutual authentication of §6, driven by the host between the card and the SAM. The result is only
 * "both sides hold the same session": the keys never leave the SAM.
 */
import { BridgeError } from '../errors.ts';
import { swHex } from '../iso7816/status-words.ts';
import {
  CHALLENGE_LENGTH,
  CRYPTOGRAM_LENGTH,
  cardExternalAuthenticate,
  cardGetChallenge,
  samCalcChallenge,
  samInternalAuth,
} from './commands.ts';
import { cardStatusError, type Sequence, samStatusError, transmit } from './steps.ts';

export function* mutualAuthenticate(cc: Uint8Array, csn: Uint8Array): Sequence<void> {
  const challenge = yield* transmit('card', cardGetChallenge(), 'GET CHALLENGE');
  if (challenge.sw !== 0x9000) throw cardStatusError(challenge.sw, 'GET CHALLENGE');
  if (challenge.data.length !== CHALLENGE_LENGTH) {
    throw new BridgeError('CARD_UNSUPPORTED', 'GET CHALLENGE did not return 8 bytes', {
      step: 'GET CHALLENGE',
    });
  }

  const calc = yield* transmit('sam', samCalcChallenge(cc, csn, challenge.data), 'CALC CHALLENGE');
  if (calc.sw !== 0x9000) throw samStatusError(calc.sw, 'CALC CHALLENGE');
  if (calc.data.length !== CRYPTOGRAM_LENGTH) {
    throw new BridgeError('INTERNAL', 'CALC CHALLENGE did not return 40 bytes', { step: 'CALC CHALLENGE' });
  }

  const ext = yield* transmit('card', cardExternalAuthenticate(calc.data), 'EXTERNAL AUTHENTICATE');
  if (ext.sw === 0x6300) {
    // The card could not check the SAM's cryptogram: keyed from another master key, or not genuine.
    throw new BridgeError('CARD_AUTH_FAILED', undefined, {
      step: 'EXTERNAL AUTHENTICATE',
      sw: swHex(ext.sw),
    });
  }
  if (ext.sw !== 0x9000) throw cardStatusError(ext.sw, 'EXTERNAL AUTHENTICATE');
  if (ext.data.length !== CRYPTOGRAM_LENGTH) {
    throw new BridgeError('CARD_AUTH_FAILED', 'EXTERNAL AUTHENTICATE did not return 40 bytes', {
      step: 'EXTERNAL AUTHENTICATE',
    });
  }

  const internal = yield* transmit('sam', samInternalAuth(ext.data), 'INTERNAL AUTH');
  if (internal.sw === 0x6300) {
    throw new BridgeError('CARD_AUTH_FAILED', undefined, { step: 'INTERNAL AUTH', sw: swHex(internal.sw) });
  }
  if (internal.sw !== 0x9000) throw samStatusError(internal.sw, 'INTERNAL AUTH');
}
