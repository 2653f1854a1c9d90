/** Profile v1 §4, §8 and §11 rules of the simulated SAM, APDU by APDU. */
import { describe, expect, it } from 'vitest';
import {
  openSamBlock,
  samCalcChallenge,
  samDecrypt,
  samEncrypt,
  samInternalAuth,
  samOpen,
  samVerifyFeed,
} from '../../../../protocols/ektp/commands.ts';
import { hex } from '../../../../protocols/iso7816/bytes.ts';
import { keys, newSam, openedSam, rawHex, session } from './helpers.ts';

const goodBlock = () => hex(samOpen(openSamBlock(keys.pcid, keys.conf)));
const badBlock = () => hex(samOpen(new Uint8Array(32)));

describe('simulated SAM: opening (§4, §11)', () => {
  it('before OPEN SAM only GET SAM UID and OPEN SAM work; everything else is 69 85', () => {
    const sam = newSam();
    expect(rawHex(sam, '00F7000000')).toMatch(/^[0-9A-F]{16}9000$/);
    for (const apdu of ['00FF000000', '00FA000000', '00F30000050084000008', '00F4000002AABB']) {
      expect(rawHex(sam, apdu)).toBe('6985');
    }
    // ... except VERIFY STOP, which "always answers 90 00" (§11).
    expect(rawHex(sam, '00FA020000')).toBe('9000');
    expect(rawHex(sam, goodBlock())).toBe('9000');
    expect(rawHex(sam, '00FF000000')).toBe('9000');
  });

  it('a block of the wrong length is 67 00 and costs nothing', () => {
    const sam = newSam();
    expect(rawHex(sam, `00F000001F${'00'.repeat(31)}`)).toBe('6700');
    expect(sam.triesLeft).toBe(3);
  });

  it('a wrong block costs a try even on an open SAM and closes it; success restores three tries', () => {
    const sam = newSam();
    rawHex(sam, goodBlock());
    expect(rawHex(sam, badBlock())).toBe('63C2');
    expect(sam.isOpen).toBe(false);
    expect(rawHex(sam, '00FF000000')).toBe('6985');
    expect(rawHex(sam, badBlock())).toBe('63C1');
    expect(rawHex(sam, goodBlock())).toBe('9000');
    expect(sam.triesLeft).toBe(3);
  });

  it('the third failure blocks for good: 69 83 to everything, GET SAM UID included, across power cycles', () => {
    const sam = newSam();
    expect([rawHex(sam, badBlock()), rawHex(sam, badBlock()), rawHex(sam, badBlock())]).toEqual([
      '63C2',
      '63C1',
      '63C0',
    ]);
    expect(sam.blocked).toBe(true);
    sam.powerOn();
    for (const apdu of ['00F7000000', goodBlock(), '00FF000000', '00FA000000'])
      expect(rawHex(sam, apdu)).toBe('6983');
    expect(newSam({ blocked: true }).blocked).toBe(true);
    expect(rawHex(newSam({ triesLeft: 1 }), badBlock())).toBe('63C0');
  });

  it('a power cycle or reset closes it: OPEN SAM is needed again', () => {
    const sam = openedSam();
    sam.reset();
    expect(rawHex(sam, '00FA000000')).toBe('6985');
    rawHex(sam, goodBlock());
    sam.powerOn();
    expect(sam.isOpen).toBe(false);
  });

  it('the socket-select escape: 90 00 for the socket holding this SAM, 6A 82 for an empty one', () => {
    const sam = newSam();
    expect(rawHex(sam, '6892010003010000')).toBe('9000');
    expect(rawHex(sam, '6892010003020000')).toBe('6A82');
    expect(rawHex(newSam({ socket: 2 }), '6892010003020000')).toBe('9000');
  });
});

describe('simulated SAM: session (§6, §7, §11)', () => {
  it('ENCRYPT before INTERNAL AUTH is 69 85; ENCRYPT and DECRYPT alternate', () => {
    const sam = openedSam();
    expect(rawHex(sam, hex(samEncrypt(Uint8Array.of(0, 0xb0, 0, 0, 8))))).toBe('6985');
    const { sam: s2 } = session();
    expect(rawHex(s2, hex(samDecrypt(Uint8Array.of(0x99, 2, 0x90, 0))))).toBe('6985');
    expect(rawHex(s2, hex(samEncrypt(Uint8Array.of(0, 0xb0, 0, 0, 8)))).endsWith('9000')).toBe(true);
    expect(rawHex(s2, hex(samEncrypt(Uint8Array.of(0, 0xb0, 0, 0, 8))))).toBe('6985');
  });

  it('DECRYPT of a forged response is 69 88 and ends the session', () => {
    const { sam, card } = session();
    const enc = sam.transmit(samEncrypt(Uint8Array.of(0, 0xa4, 0, 0, 2, 0x6f, 0xf1)));
    const resp = card.transmit(enc.slice(0, -2)).slice(0, -2);
    resp[resp.length - 1] ^= 1;
    expect(rawHex(sam, hex(samDecrypt(resp)))).toBe('6988');
    expect(rawHex(sam, hex(samEncrypt(Uint8Array.of(0, 0xb0, 0, 0, 8))))).toBe('6985');
  });

  it('CALC CHALLENGE drops the session; INTERNAL AUTH uses up the pending challenge whatever its outcome', () => {
    const { sam, card } = session();
    const cc = card.files.files.CC.slice(2);
    expect(rawHex(sam, hex(samCalcChallenge(cc, card.files.csn, new Uint8Array(8)))).endsWith('9000')).toBe(
      true,
    );
    expect(rawHex(sam, hex(samEncrypt(Uint8Array.of(0, 0xb0, 0, 0, 8))))).toBe('6985');
    expect(rawHex(sam, hex(samInternalAuth(new Uint8Array(40))))).toBe('6300');
    expect(rawHex(sam, hex(samInternalAuth(new Uint8Array(40))))).toBe('6985');
  });

  it('CALC CHALLENGE checks P2 against the data length', () => {
    const sam = openedSam();
    expect(rawHex(sam, `00F1000143${'00'.repeat(45)}`)).toBe('6700');
    expect(rawHex(sam, `00F100022D${'00'.repeat(45)}`)).toBe('6A86');
  });

  it('RESET SAM drops the session and hashing mode, and stays open', () => {
    const { sam } = session();
    rawHex(sam, '00FA000000');
    expect(sam.hashingMode).toBe(true);
    expect(rawHex(sam, '00FF000000')).toBe('9000');
    expect(sam.hashingMode).toBe(false);
    expect(sam.isOpen).toBe(true);
    expect(rawHex(sam, hex(samEncrypt(Uint8Array.of(0, 0xb0, 0, 0, 8))))).toBe('6985');
  });
});

describe('simulated SAM: document signature (§8, §11)', () => {
  it('VERIFY START needs an open SAM but no session; VERIFY STOP always 90 00', () => {
    const sam = openedSam();
    expect(rawHex(sam, '00FA000000')).toBe('9000');
    expect(rawHex(sam, '00FA020000')).toBe('9000');
    expect(rawHex(sam, '00FA020000')).toBe('9000');
  });

  it('VERIFY DOCUMENT before VERIFY SIGNATURE is 69 85 and hashing mode stays on', () => {
    const sam = openedSam();
    rawHex(sam, '00FA000000');
    expect(rawHex(sam, '00FA040000')).toBe('6985');
    expect(sam.hashingMode).toBe(true);
    expect(rawHex(sam, `00FA06003F${'00'.repeat(63)}`)).toBe('6700');
  });

  it('FEED, SIGNATURE and DOCUMENT outside hashing mode are 69 85', () => {
    const sam = openedSam();
    expect(rawHex(sam, '00FA0300020102')).toBe('6985');
    expect(rawHex(sam, `00FA060040${'00'.repeat(64)}`)).toBe('6985');
    expect(rawHex(sam, '00FA040000')).toBe('6985');
  });

  it('accepts a whole photo in one extended VERIFY FEED; the file order matters to the verdict', () => {
    const { sam, card } = session();
    const f = card.files.files;
    const ds = f.DS.slice(2);
    const run = (order: Uint8Array[]) => {
      rawHex(sam, '00FA000000');
      rawHex(sam, hex(Uint8Array.from([0x00, 0xfa, 0x06, 0x00, 0x40, ...ds])));
      for (const part of order) expect(rawHex(sam, hex(samVerifyFeed(part)))).toBe('9000');
      const verdict = rawHex(sam, '00FA040000');
      rawHex(sam, '00FA020000');
      return verdict;
    };
    expect(run([f.BIODATA, f.PHOTO, f.SIGNATURE, f.MINUTIAE1, f.MINUTIAE2])).toBe('9000');
    expect(run([f.PHOTO, f.BIODATA, f.SIGNATURE, f.MINUTIAE1, f.MINUTIAE2])).toBe('6300');
  });

  it('only READ BINARY responses are hashed, never SELECT responses', () => {
    const { sam, card, prot } = session();
    const f = card.files.files;
    rawHex(sam, '00FA000000');
    rawHex(sam, hex(Uint8Array.from([0x00, 0xfa, 0x06, 0x00, 0x40, ...f.DS.slice(2)])));
    // BIODATA through protected reads (SELECT is protected too, and must not enter the hash).
    prot('00A40000026FF1');
    for (let o = 0; o < f.BIODATA.length; o += 0xe0) {
      const n = Math.min(0xe0, f.BIODATA.length - o);
      prot(`00B0${o.toString(16).padStart(4, '0')}${n.toString(16).padStart(2, '0')}`);
    }
    for (const part of [f.PHOTO, f.SIGNATURE, f.MINUTIAE1, f.MINUTIAE2])
      rawHex(sam, hex(samVerifyFeed(part)));
    expect(rawHex(sam, '00FA040000')).toBe('9000');
  });
});
