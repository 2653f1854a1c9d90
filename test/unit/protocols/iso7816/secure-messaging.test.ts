import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desSmCipher } from '../../../../protocols/crypto/sm-cipher.ts';
import { decodeCommand, encodeCommand } from '../../../../protocols/iso7816/apdu.ts';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';
import {
  SmError,
  unwrapCommand,
  unwrapResponse,
  wrapCommand,
  wrapResponse,
} from '../../../../protocols/iso7816/secure-messaging.ts';

const cipher = desSmCipher(
  fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'),
  fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8'),
);

describe('secure messaging wrap/unwrap', () => {
  it('round trips commands and responses, both ends moving the counter the same way (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 3n }),
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 300 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
        fc.uint8Array({ maxLength: 300 }),
        (ssc, data, ne, respData) => {
          const plain = encodeCommand({ cla: 0, ins: 0xb0, p1: 1, p2: 2, data, ne });
          const w = wrapCommand(cipher, ssc, plain);
          expect(w.ssc).toBe(ssc + 1n);
          const c = unwrapCommand(cipher, ssc, w.apdu);
          expect(hex(encodeCommand(c.command))).toBe(hex(plain));
          const r = wrapResponse(cipher, c.ssc, respData, 0x6282);
          const body = r.response.slice(0, -2);
          const u = unwrapResponse(cipher, w.ssc, body);
          expect(hex(u.data)).toBe(hex(respData));
          expect(u.sw).toBe(0x6282);
          expect(u.ssc).toBe(ssc + 2n);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the counter wraps at 2^64', () => {
    const w = wrapCommand(cipher, (1n << 64n) - 1n, fromHex('00B0000008'));
    expect(w.ssc).toBe(0n);
  });

  it('rejects a flipped MAC byte, a wrong counter, a missing DO8E and a bad layout', () => {
    const w = wrapCommand(cipher, 5n, fromHex('00A40000026FF1'));
    const bad = w.apdu.slice();
    bad[bad.length - 2] ^= 1;
    expect(() => unwrapCommand(cipher, 5n, bad)).toThrow(SmError);
    expect(() => unwrapCommand(cipher, 6n, w.apdu)).toThrow(SmError);
    expect(() => unwrapCommand(cipher, 5n, fromHex('0CA40000 04 99029000 00'))).toThrow(SmError);
    expect(() => unwrapCommand(cipher, 5n, fromHex('0CA40000 03 870501 00'))).toThrow(SmError);
    const r = wrapResponse(cipher, 6n, fromHex('0102'), 0x9000).response.slice(0, -2);
    expect(() => unwrapResponse(cipher, 6n, r)).not.toThrow();
    expect(() => unwrapResponse(cipher, 7n, r)).toThrow(SmError);
    expect(() => unwrapResponse(cipher, 6n, r.slice(0, r.length - 10))).toThrow(SmError);
    expect(() => unwrapResponse(cipher, 6n, fromHex('8E08 0000000000000000'))).toThrow(SmError);
  });

  it('keeps the command header and Le=00 outside; DO97 carries the real Le', () => {
    const w = wrapCommand(cipher, 0n, fromHex('00B000E0E0'));
    const outer = decodeCommand(w.apdu);
    expect([outer.cla, outer.ins, outer.p1, outer.p2, outer.ne]).toEqual([0x0c, 0xb0, 0x00, 0xe0, 256]);
    expect(hex(outer.data!.slice(0, 3))).toBe('9701e0');
  });
});
