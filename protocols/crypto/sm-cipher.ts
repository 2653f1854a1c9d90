/** The 3DES cipher suite of secure messaging (profile v1 §7, ICAO Doc 9303 part 11 with 3DES). */
import type { SmCipher } from '../iso7816/secure-messaging.ts';
import { tdesDecrypt, tdesEncrypt } from './des.ts';
import { retailMac } from './retail-mac.ts';

export function desSmCipher(kEnc: Uint8Array, kMac: Uint8Array): SmCipher {
  return {
    blockSize: 8,
    encrypt: (padded) => tdesEncrypt(kEnc, padded),
    decrypt: (c) => tdesDecrypt(kEnc, c),
    mac: (m) => retailMac(kMac, m),
  };
}
