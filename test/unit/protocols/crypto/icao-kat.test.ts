/**
 * Known answers from OUTSIDE the project: ICAO Doc 9303 part 11, Appendix D (worked example of BAC
 * and secure messaging with 3DES). The BAC key derivation (SHA-1, parity-adjusted) is ICAO's, not the
 * profile's, so it is written here in the test only, to check Kenc/Kmac and the session keys.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tdesDecrypt, tdesEncrypt } from '../../../../protocols/crypto/des.ts';
import { retailMac } from '../../../../protocols/crypto/retail-mac.ts';
import { desSmCipher } from '../../../../protocols/crypto/sm-cipher.ts';
import { concat, fromHex, hex, readUint, xor } from '../../../../protocols/iso7816/bytes.ts';
import {
  unwrapCommand,
  unwrapResponse,
  wrapCommand,
  wrapResponse,
} from '../../../../protocols/iso7816/secure-messaging.ts';

function adjustParity(key: Uint8Array): Uint8Array {
  return key.map((b) => {
    let ones = 0;
    for (let i = 1; i < 8; i++) ones += (b >> i) & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
}
function icaoKdf(seed: Uint8Array, c: number): Uint8Array {
  const d = createHash('sha1')
    .update(concat(seed, Uint8Array.of(0, 0, 0, c)))
    .digest();
  return adjustParity(new Uint8Array(d.subarray(0, 16)));
}

const KSEED = fromHex('239AB9CB282DAF66231DC5A4DF6BFBAE');
const KENC = fromHex('AB94FDECF2674FDFB9B391F85D7F76F2');
const KMAC = fromHex('7962D9ECE03D1ACD4C76089DCE131543');
const RND_IC = fromHex('4608F91988702212');
const RND_IFD = fromHex('781723860C06C226');
const K_IFD = fromHex('0B795240CB7049B01C19B33E32804F0B');
const K_IC = fromHex('0B4F80323EB3191CB04970CB4052790B');
const KS_ENC = fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5');
const KS_MAC = fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8');

describe('ICAO 9303-11 Appendix D: BAC', () => {
  it('derives Kenc and Kmac from Kseed (ICAO KDF, checks the test helper)', () => {
    expect(hex(icaoKdf(KSEED, 1))).toBe(hex(KENC));
    expect(hex(icaoKdf(KSEED, 2))).toBe(hex(KMAC));
  });

  it('EXTERNAL AUTHENTICATE cryptogram: Eifd = 3DES-CBC(Kenc, S), Mifd = retail MAC(Kmac, Eifd)', () => {
    const s = concat(RND_IFD, RND_IC, K_IFD);
    expect(hex(s)).toBe('781723860c06c2264608f919887022120b795240cb7049b01c19b33e32804f0b');
    const eifd = tdesEncrypt(KENC, s);
    expect(hex(eifd)).toBe('72c29c2371cc9bdb65b779b8e8d37b29ecc154aa56a8799fae2f498f76ed92f2');
    expect(hex(retailMac(KMAC, eifd))).toBe('5f1448eea8ad90a7');
    expect(hex(tdesDecrypt(KENC, eifd))).toBe(hex(s));
  });

  it("card's answer: Eic decrypts to RND.IC || RND.IFD || K.IC and carries a valid Mic", () => {
    const eic = fromHex('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F');
    expect(hex(retailMac(KMAC, eic))).toBe('2f2d235d074d7449');
    expect(hex(tdesDecrypt(KENC, eic))).toBe(hex(concat(RND_IC, RND_IFD, K_IC)));
  });

  it('session keys and the send sequence counter', () => {
    const seed = xor(K_IFD, K_IC);
    expect(hex(seed)).toBe('0036d272f5c350acac50c3f572d23600');
    expect(hex(icaoKdf(seed, 1))).toBe(hex(KS_ENC));
    expect(hex(icaoKdf(seed, 2))).toBe(hex(KS_MAC));
    expect(hex(concat(RND_IC.subarray(4), RND_IFD.subarray(4)))).toBe('887022120c06c226');
  });
});

describe('ICAO 9303-11 Appendix D: secure messaging', () => {
  const cipher = desSmCipher(KS_ENC, KS_MAC);
  const ssc0 = readUint(fromHex('887022120C06C226'));

  it('protects SELECT EF.COM', () => {
    const r = wrapCommand(cipher, ssc0, fromHex('00 A4 02 0C 02 01 1E'));
    expect(hex(r.apdu)).toBe(
      hex(fromHex('0C A4 02 0C 15 87 09 01 63 75 43 29 08 C0 44 F6 8E 08 BF 8B 92 D6 35 FF 24 F8 00')),
    );
    expect(r.ssc.toString(16)).toBe('887022120c06c227');
    // The card side opens it again.
    const c = unwrapCommand(cipher, ssc0, r.apdu);
    expect(c.command).toEqual({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') });
  });

  it('unwraps the response to SELECT EF.COM', () => {
    const r = unwrapResponse(cipher, ssc0 + 1n, fromHex('99 02 90 00 8E 08 FA 85 5A 5D 4C 50 A8 ED'));
    expect(r.sw).toBe(0x9000);
    expect(r.data.length).toBe(0);
    expect(r.ssc.toString(16)).toBe('887022120c06c228');
  });

  it('READ BINARY of 4 bytes: command and response', () => {
    const c = wrapCommand(cipher, ssc0 + 2n, fromHex('00 B0 00 00 04'));
    expect(hex(c.apdu)).toBe(hex(fromHex('0C B0 00 00 0D 97 01 04 8E 08 ED 67 05 41 7E 96 BA 55 00')));
    const r = unwrapResponse(
      cipher,
      c.ssc,
      fromHex('87 09 01 9F F0 EC 34 F9 92 26 51 99 02 90 00 8E 08 AD 55 CC 17 14 0B 2D ED'),
    );
    expect(hex(r.data)).toBe('60145f01');
    expect(r.sw).toBe(0x9000);
    // Wrapping the same plain response on the card side gives the same bytes back.
    const w = wrapResponse(cipher, c.ssc, r.data, 0x9000);
    expect(hex(w.response)).toBe(
      hex(fromHex('87 09 01 9F F0 EC 34 F9 92 26 51 99 02 90 00 8E 08 AD 55 CC 17 14 0B 2D ED 90 00')),
    );
  });

  it('READ BINARY of the remaining 18 bytes', () => {
    const c = wrapCommand(cipher, ssc0 + 4n, fromHex('00 B0 00 04 12'));
    expect(hex(c.apdu)).toBe(hex(fromHex('0C B0 00 04 0D 97 01 12 8E 08 2E A2 8A 70 F3 C7 B5 35 00')));
    const r = unwrapResponse(
      cipher,
      c.ssc,
      fromHex(
        '87 19 01 FB 92 35 F4 E4 03 7F 23 27 DC C8 96 4F 1F 9B 8C 30 F4 2C 8E 2F FF 22 4A 99 02 90 00 8E 08 C8 B2 78 7E AE A0 7D 74',
      ),
    );
    // EF.COM continues 5F01 04 "0106" 5F36 06 "040000" 5C 02 61 75 (the MAC above authenticates these bytes).
    expect(hex(r.data)).toBe('04303130365f36063034303030305c026175');
    expect(r.ssc.toString(16)).toBe('887022120c06c22c');
  });
});
