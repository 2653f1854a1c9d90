import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  desDecryptBlock,
  desEncryptBlock,
  expandDesKey,
  tdesEncrypt,
} from '../../../../protocols/crypto/des.ts';
import { cardSeed, deriveCardKeys, kdf } from '../../../../protocols/crypto/kdf.ts';
import { retailMac } from '../../../../protocols/crypto/retail-mac.ts';
import { concat, fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';

describe('DES building blocks', () => {
  it('single DES: the classic FIPS 81 / Stallings known answer', () => {
    // Key 133457799BBCDFF1, plaintext 0123456789ABCDEF -> 85E813540F0AB405.
    const c = desEncryptBlock(fromHex('133457799BBCDFF1'), fromHex('0123456789ABCDEF'));
    expect(hex(c)).toBe('85e813540f0ab405');
    expect(hex(desDecryptBlock(fromHex('133457799BBCDFF1'), c))).toBe('0123456789abcdef');
  });

  it('expands 8 and 16 byte keys, refuses other lengths', () => {
    expect(hex(expandDesKey(fromHex('0011223344556677')))).toBe(
      '001122334455667700112233445566770011223344556677',
    );
    expect(hex(expandDesKey(fromHex('00112233445566778899aabbccddeeff')))).toBe(
      '00112233445566778899aabbccddeeff0011223344556677',
    );
    expect(() => expandDesKey(new Uint8Array(10))).toThrow(RangeError);
    expect(() => tdesEncrypt(new Uint8Array(24), new Uint8Array(7))).toThrow(RangeError);
  });

  it('retail MAC of ISO 9797-1 annex B (MAC algorithm 3, padding 2)', () => {
    // ISO/IEC 9797-1:1999 Annex B, "Now is the time for all " with K = 0123456789ABCDEF FEDCBA9876543210.
    const key = fromHex('0123456789ABCDEFFEDCBA9876543210');
    const data = new TextEncoder().encode('Now is the time for all ');
    // Recomputed from the definition so the test does not depend on our own CBC helper.
    const blocks = concat(data, fromHex('8000000000000000'));
    let h: Uint8Array = new Uint8Array(8);
    for (let i = 0; i < blocks.length; i += 8) {
      const x = blocks.slice(i, i + 8).map((b, j) => b ^ h[j]);
      h = desEncryptBlock(key.subarray(0, 8), x);
    }
    const expected = desEncryptBlock(key.subarray(0, 8), desDecryptBlock(key.subarray(8, 16), h));
    expect(hex(retailMac(key, data))).toBe(hex(expected));
    // A 24-byte key uses only its first 16 bytes.
    expect(hex(retailMac(concat(key, fromHex('1111111111111111')), data))).toBe(hex(expected));
  });
});

describe('profile v1 §6 key derivation', () => {
  it('KDF = SHA-256(seed || c)[0..24]', () => {
    const seed = fromHex('000102030405060708090a0b0c0d0e0f');
    const want = createHash('sha256')
      .update(concat(seed, fromHex('00000001')))
      .digest()
      .subarray(0, 24);
    expect(hex(kdf(seed, 1))).toBe(hex(want));
    expect(kdf(seed, 2)).toHaveLength(24);
    expect(hex(kdf(seed, 1))).not.toBe(hex(kdf(seed, 2)));
  });

  it('card keys from MK, CSN and CC', () => {
    const mk = fromHex('6b8479099b0f3d9fc11278b9d402d9645e7c8db1cd580298f6323dfc4020fff9');
    const csn = fromHex('0102030405060708');
    const cc = new Uint8Array(29).fill(7);
    const seed = createHmac('sha256', mk).update(concat(csn, cc)).digest().subarray(0, 16);
    expect(hex(cardSeed(mk, csn, cc))).toBe(hex(seed));
    const keys = deriveCardKeys(mk, csn, cc);
    expect(hex(keys.kEnc)).toBe(hex(kdf(seed, 1)));
    expect(hex(keys.kMac)).toBe(hex(kdf(seed, 2)));
    // Another CSN gives other keys.
    expect(hex(deriveCardKeys(mk, fromHex('0102030405060709'), cc).kEnc)).not.toBe(hex(keys.kEnc));
  });
});
