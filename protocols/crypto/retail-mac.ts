/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with padding method 2: single-DES CBC-MAC under Ka,
 * then the last block is decrypted under Kb and encrypted again under Ka. Ka = K[0..8], Kb = K[8..16];
 * longer keys (24-byte profile keys) use only their first 16 bytes, as the profile says.
 */
import { pad } from '../iso7816/padding.ts';
import { desDecryptBlock, desEncryptBlock, tdesEncrypt } from './des.ts';

export function retailMac(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length < 16) throw new RangeError('retail MAC needs a key of at least 16 bytes');
  const ka = key.subarray(0, 8);
  const kb = key.subarray(8, 16);
  const padded = pad(message, 8);
  // CBC under single-DES Ka: the last cipher block is the chaining value (k||k||k == single DES).
  const cbc = tdesEncrypt(ka, padded);
  const last = cbc.subarray(cbc.length - 8);
  return desEncryptBlock(ka, desDecryptBlock(kb, last));
}
