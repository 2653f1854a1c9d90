/**
 * Triple-DES-EDE in CBC mode with a zero IV, no padding (callers pad with ISO 9797-1 method 2).
 * node:crypto is computation, not I/O, so it may live in protocols/. OpenSSL 3 moved single DES to
 * the legacy provider; single DES with key k equals 3DES-EDE with k || k || k, which the default
 * provider has.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

const ZERO_IV = new Uint8Array(8);

/** 8 bytes = single DES, 16 bytes = two-key 3DES (K1 || K2 || K1), 24 bytes = three-key 3DES. */
export function expandDesKey(key: Uint8Array): Uint8Array {
  if (key.length === 24) return key;
  const out = new Uint8Array(24);
  if (key.length === 16) {
    out.set(key);
    out.set(key.subarray(0, 8), 16);
    return out;
  }
  if (key.length === 8) {
    out.set(key);
    out.set(key, 8);
    out.set(key, 16);
    return out;
  }
  throw new RangeError(`DES key of ${key.length} bytes`);
}

function run(decrypt: boolean, key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  if (data.length % 8 !== 0) throw new RangeError('DES input not a multiple of 8 bytes');
  const k = expandDesKey(key);
  const c = decrypt ? createDecipheriv('des-ede3-cbc', k, iv) : createCipheriv('des-ede3-cbc', k, iv);
  c.setAutoPadding(false);
  const a = c.update(data);
  const b = c.final();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function tdesEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  return run(false, key, data, iv);
}

export function tdesDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  return run(true, key, data, iv);
}

/** Single DES ECB of one block (the building block of the retail MAC). */
export function desEncryptBlock(key8: Uint8Array, block: Uint8Array): Uint8Array {
  return run(false, expandDesKey(key8), block, ZERO_IV);
}

export function desDecryptBlock(key8: Uint8Array, block: Uint8Array): Uint8Array {
  return run(true, expandDesKey(key8), block, ZERO_IV);
}
