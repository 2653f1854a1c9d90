import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import { pad, unpad } from '../../../../protocols/iso7816/padding.ts';
import {
  encodeLength,
  encodeTlv,
  encodeTlvs,
  isConstructed,
  parseTlvs,
  readTlv,
  TlvError,
} from '../../../../protocols/iso7816/tlv.ts';

describe('BER-TLV', () => {
  it('encodes lengths in short and long form', () => {
    expect(hex(encodeLength(0))).toBe('00');
    expect(hex(encodeLength(0x7f))).toBe('7f');
    expect(hex(encodeLength(0x80))).toBe('8180');
    expect(hex(encodeLength(0xff))).toBe('81ff');
    expect(hex(encodeLength(0x100))).toBe('820100');
    expect(hex(encodeLength(0x10000))).toBe('83010000');
  });

  it('reads multi-byte tags (5F1F, 7F61, 5F2E) and long lengths', () => {
    const bytes = fromHex('5F1F 03 414243 7F61 81 02 0102');
    const items = parseTlvs(bytes);
    expect(items.map((t) => t.tag)).toEqual([0x5f1f, 0x7f61]);
    expect(hex(items[1].value)).toBe('0102');
    expect(isConstructed(0x7f61)).toBe(true);
    expect(isConstructed(0x5f1f)).toBe(false);
    expect(hex(encodeTlv(0x5f2e, new Uint8Array(200)))).toBe(`5f2e81c8${'00'.repeat(200)}`);
    const three = readTlv(fromHex('9F8101 01 AA'));
    expect(three.tlv.tag).toBe(0x9f8101);
    expect(three.headerLength).toBe(4);
  });

  it('refuses truncated and indefinite objects', () => {
    expect(() => parseTlvs(fromHex('80 05 0102'))).toThrow(TlvError);
    expect(() => parseTlvs(fromHex('80'))).toThrow(TlvError);
    expect(() => parseTlvs(fromHex('5F'))).toThrow(TlvError);
    expect(() => parseTlvs(fromHex('30 80 0000'))).toThrow(TlvError);
    expect(() => parseTlvs(fromHex('80 85 0000000001'))).toThrow(TlvError);
  });

  it('round trips sequences (property), fed whole and with trailing data', () => {
    const tagArb = fc.oneof(
      fc.integer({ min: 0x80, max: 0x9e }),
      fc.integer({ min: 0x20, max: 0x7e }).map((b) => 0x5f00 | b),
      fc.integer({ min: 0x20, max: 0x7e }).map((b) => 0x7f00 | b),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag: tagArb, value: fc.uint8Array({ maxLength: 400 }) }), { maxLength: 8 }),
        (items) => {
          const bytes = encodeTlvs(items);
          const back = parseTlvs(bytes);
          expect(back.map((t) => [t.tag, hex(t.value)])).toEqual(items.map((t) => [t.tag, hex(t.value)]));
          if (items.length > 0) {
            const withTrail = new Uint8Array([...bytes, 0xde, 0xad]);
            const first = readTlv(withTrail, 0);
            expect(first.tlv.tag).toBe(items[0].tag);
          }
        },
      ),
    );
  });
});

describe('ISO 9797-1 padding method 2', () => {
  it('pads and unpads', () => {
    expect(hex(pad(fromHex('0102')))).toBe('0102800000000000');
    expect(hex(pad(fromHex('0102030405060708')))).toBe('01020304050607088000000000000000');
    expect(hex(pad(new Uint8Array(0)))).toBe('8000000000000000');
    expect(hex(unpad(fromHex('0102800000000000')))).toBe('0102');
  });
  it('rejects bad padding', () => {
    expect(() => unpad(fromHex('0102000000000000'))).toThrow(RangeError);
    expect(() => unpad(fromHex('01028000'))).toThrow(RangeError);
    expect(() => unpad(fromHex('80000000000000000000000000000000'))).toThrow(RangeError);
  });
  it('round trips (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (d) => {
        expect(hex(unpad(pad(d)))).toBe(hex(d));
      }),
    );
  });
});
