/**
 * Key derivation of e-KTP profile v1 §6 (an open choice of the profile, not ICAO's SHA-1 KDF):
 * KDF(seed, c) = SHA-256(seed || c as 4 bytes)[0..24]; c = 1 encryption key, c = 2 MAC key.
 * Card keys come from the master key: seed_card = HMAC-SHA-256(MK, CSN || CC)[0..16].
 */
import { createHash, createHmac } from 'node:crypto';
import { concat, uintBytes } from '../iso7816/bytes.ts';

export const KDF_ENC = 1;
export const KDF_MAC = 2;

export function kdf(seed: Uint8Array, counter: number): Uint8Array {
  const digest = createHash('sha256')
    .update(concat(seed, uintBytes(counter, 4)))
    .digest();
  return new Uint8Array(digest.subarray(0, 24));
}

export interface KeyPair3Des {
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

export function deriveKeys(seed: Uint8Array): KeyPair3Des {
  return { kEnc: kdf(seed, KDF_ENC), kMac: kdf(seed, KDF_MAC) };
}

/** CC is EF.CC's content without its 2-byte length. */
export function cardSeed(masterKey: Uint8Array, csn: Uint8Array, cc: Uint8Array): Uint8Array {
  const mac = createHmac('sha256', masterKey).update(concat(csn, cc)).digest();
  return new Uint8Array(mac.subarray(0, 16));
}

export function deriveCardKeys(masterKey: Uint8Array, csn: Uint8Array, cc: Uint8Array): KeyPair3Des {
  return deriveKeys(cardSeed(masterKey, csn, cc));
}
