/**
 * Opening and probing the SAM (§4, §10 step 2, §11). The service decides when to open; a failed OPEN
 * SAM costs one of three tries, so nothing here ever retries it.
 */
import { BridgeError } from '../errors.ts';
import { swHex } from '../iso7816/status-words.ts';
import { OPEN_SAM_BLOCK_LENGTH, samGetUid, samOpen } from './commands.ts';
import { type Sequence, samStatusError, transmit } from './steps.ts';

export function* openSam(block: Uint8Array): Sequence<void> {
  if (block.length !== OPEN_SAM_BLOCK_LENGTH) {
    // Checked here so a misconfigured PCID/CONF never reaches the SAM.
    throw new BridgeError('INVALID_PARAMS', 'The OPEN SAM block must be 32 bytes');
  }
  const res = yield* transmit('sam', samOpen(block), 'OPEN SAM');
  if (res.sw === 0x9000) return;
  if (res.sw1 === 0x63 && (res.sw2 & 0xf0) === 0xc0) {
    const triesLeft = res.sw2 & 0x0f;
    // The third wrong block answers 63 C0 and blocks the SAM for good: report it as locked.
    if (triesLeft === 0)
      throw new BridgeError('SAM_LOCKED', undefined, { step: 'OPEN SAM', triesLeft, sw: swHex(res.sw) });
    throw new BridgeError('SAM_AUTH_FAILED', undefined, { step: 'OPEN SAM', triesLeft, sw: swHex(res.sw) });
  }
  if (res.sw === 0x6700) throw new BridgeError('INVALID_PARAMS', 'The SAM refused the OPEN SAM block length');
  throw samStatusError(res.sw, 'OPEN SAM');
}

export interface SamProbe {
  present: boolean;
  blocked: boolean;
  uid?: Uint8Array;
}

/** GET SAM UID. A blocked SAM answers 69 83 even here (§11): that is "a blocked SAM", not "no SAM". */
export function* probeSam(): Sequence<SamProbe> {
  const res = yield* transmit('sam', samGetUid(), 'GET SAM UID');
  if (res.sw === 0x9000 && res.data.length > 0) return { present: true, blocked: false, uid: res.data };
  if (res.sw === 0x6983) return { present: true, blocked: true };
  return { present: false, blocked: false };
}
