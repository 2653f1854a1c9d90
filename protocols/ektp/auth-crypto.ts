/**
 * The cryptograms of mutual authentication (§6) both ways, and the session they open. The host never
 * calls these (the SAM and the card hold the keys); the simulated SAM and card do, and tests check
 * them against the ICAO worked example, which uses the same construction.
 */

import { tdesDecrypt, tdesEncrypt } from '../crypto/des.ts';
import { deriveKeys, type KeyPair3Des } from '../crypto/kdf.ts';
import { retailMac } from '../crypto/retail-mac.ts';
import { bytesEqual, concat, readUint, xor } from '../iso7816/bytes.ts';
import { CHALLENGE_LENGTH, CRYPTOGRAM_LENGTH } from './commands.ts';

/** E || M with E = ENC(K_enc, plain) and M = MAC(K_mac, E); plain is 32 bytes. */
export function sealCryptogram(keys: KeyPair3Des, plain: Uint8Array): Uint8Array {
  if (plain.length !== 32) throw new RangeError('authentication plaintext is 32 bytes');
  const e = tdesEncrypt(keys.kEnc, plain);
  return concat(e, retailMac(keys.kMac, e));
}

/** Checks the MAC and decrypts; undefined when the MAC is wrong or the length is not 40. */
export function openCryptogram(keys: KeyPair3Des, cryptogram: Uint8Array): Uint8Array | undefined {
  if (cryptogram.length !== CRYPTOGRAM_LENGTH) return undefined;
  const e = cryptogram.subarray(0, 32);
  if (!bytesEqual(retailMac(keys.kMac, e), cryptogram.subarray(32))) return undefined;
  return tdesDecrypt(keys.kEnc, e);
}

export interface SmSession {
  keys: KeyPair3Des;
  /** send sequence counter, 8 bytes big-endian */
  ssc: bigint;
}

/** seed = K.IFD ⊕ K.IC; SSC = RND.IC[4..8] || RND.IFD[4..8]. */
export function openSession(
  kIfd: Uint8Array,
  kIc: Uint8Array,
  rndIc: Uint8Array,
  rndIfd: Uint8Array,
): SmSession {
  if (rndIc.length !== CHALLENGE_LENGTH || rndIfd.length !== CHALLENGE_LENGTH)
    throw new RangeError('challenges are 8 bytes');
  return {
    keys: deriveKeys(xor(kIfd, kIc)),
    ssc: readUint(concat(rndIc.subarray(4, 8), rndIfd.subarray(4, 8))),
  };
}
