/**
 * The document signature of §8: the signed message layout (shared with the issuer in the simulator)
 * and the SAM verification steps. The host never verifies ECDSA itself: the issuer key is in the SAM.
 */
import { BridgeError } from '../errors.ts';
import { EXTENDED_MAX_NC } from '../iso7816/apdu.ts';
import { concat } from '../iso7816/bytes.ts';
import {
  samVerifyDocument,
  samVerifyFeed,
  samVerifySignature,
  samVerifyStart,
  samVerifyStop,
} from './commands.ts';
import { expectOk, type Sequence, samStatusError, transmit } from './steps.ts';

export const DOCUMENT_SIGNATURE_LENGTH = 64;

/** The five files in hash order, each complete with its 2-byte length. */
export interface SignedFiles {
  biodata: Uint8Array;
  photo: Uint8Array;
  signature: Uint8Array;
  minutiae1: Uint8Array;
  minutiae2: Uint8Array;
}

export function signedMessage(f: SignedFiles): Uint8Array {
  return concat(f.biodata, f.photo, f.signature, f.minutiae1, f.minutiae2);
}

/** VERIFY START; VERIFY SIGNATURE (§8 step 1). */
export function* beginDocumentVerification(ds: Uint8Array): Sequence<void> {
  if (ds.length !== DOCUMENT_SIGNATURE_LENGTH) {
    throw new BridgeError('CARD_DATA_INVALID', 'EF.DS is not a 64-byte signature', {
      step: 'READ BINARY EF.DS',
    });
  }
  yield* expectOk('sam', samVerifyStart(), 'VERIFY START');
  yield* expectOk('sam', samVerifySignature(ds), 'VERIFY SIGNATURE');
}

/** VERIFY FEED of bytes read in the clear; one extended APDU unless over 65,535 bytes. */
export function* feedDocumentHash(bytes: Uint8Array): Sequence<void> {
  for (let o = 0; o < bytes.length; o += EXTENDED_MAX_NC) {
    yield* expectOk('sam', samVerifyFeed(bytes.subarray(o, o + EXTENDED_MAX_NC)), 'VERIFY FEED');
  }
}

/** VERIFY DOCUMENT; VERIFY STOP (§8 step 3). */
export function* finishDocumentVerification(): Sequence<'valid' | 'invalid'> {
  const res = yield* transmit('sam', samVerifyDocument(), 'VERIFY DOCUMENT');
  let outcome: 'valid' | 'invalid';
  if (res.sw === 0x9000) outcome = 'valid';
  else if (res.sw === 0x6300) outcome = 'invalid';
  else throw samStatusError(res.sw, 'VERIFY DOCUMENT');
  const stop = yield* transmit('sam', samVerifyStop(), 'VERIFY STOP');
  if (stop.sw !== 0x9000) throw samStatusError(stop.sw, 'VERIFY STOP');
  return outcome;
}
