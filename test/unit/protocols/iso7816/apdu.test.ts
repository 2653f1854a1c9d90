import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCommand,
  encodeCommand,
  encodeResponse,
  parseResponse,
} from '../../../../protocols/iso7816/apdu.ts';
import { fromHex, hex } from '../../../../protocols/iso7816/bytes.ts';

const H = (s: string) => hex(fromHex(s));

describe('command APDU, the seven ISO cases', () => {
  const table: Array<[string, Parameters<typeof encodeCommand>[0], string, boolean?]> = [
    ['case 1', { cla: 0, ins: 0xa4, p1: 0, p2: 0 }, '00A40000'],
    ['case 2S', { cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, '0084000008'],
    ['case 2S Ne=256', { cla: 0xff, ins: 0xca, p1: 0, p2: 0, ne: 256 }, 'FFCA000000'],
    ['case 3S', { cla: 0, ins: 0xa4, p1: 0, p2: 0, data: fromHex('7F0A') }, '00A40000027F0A'],
    ['case 4S', { cla: 0, ins: 0xa4, p1: 4, p2: 0, data: fromHex('A0'), ne: 256 }, '00A4040001A000'],
    ['case 2E', { cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1000 }, '00B00000' + '0003E8'],
    ['case 2E Ne=65536', { cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 }, '00B00000000000'],
    [
      'case 3E',
      { cla: 0, ins: 0xfa, p1: 3, p2: 0, data: new Uint8Array(300) },
      `00FA0300 00012C${'00'.repeat(300)}`,
    ],
    [
      'case 4E',
      { cla: 0, ins: 0xfa, p1: 3, p2: 0, data: new Uint8Array(256), ne: 2 },
      `00FA0300 000100${'00'.repeat(256)}0002`,
    ],
  ];
  for (const [name, cmd, bytes] of table) {
    it(`${name} encodes and decodes`, () => {
      expect(hex(encodeCommand(cmd))).toBe(H(bytes));
      const d = decodeCommand(fromHex(bytes));
      expect(d.cla).toBe(cmd.cla);
      expect(d.ins).toBe(cmd.ins);
      expect(d.ne).toBe(cmd.ne);
      expect(hex(d.data ?? new Uint8Array(0))).toBe(hex(cmd.data ?? new Uint8Array(0)));
    });
  }

  it('forces extended form on request', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }, { extended: true }))).toBe(
      H('00B00000000004'),
    );
  });

  it('rejects malformed input', () => {
    expect(() => decodeCommand(fromHex('00A400'))).toThrow(RangeError);
    expect(() => decodeCommand(fromHex('00A4000003AABB'))).toThrow(RangeError);
    expect(() => decodeCommand(fromHex('00A400000000'))).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 0, ins: 256, p1: 0, p2: 0 })).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 0 })).toThrow(RangeError);
  });

  it('round trips any command (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          cla: fc.integer({ min: 0, max: 255 }),
          ins: fc.integer({ min: 0, max: 255 }),
          p1: fc.integer({ min: 0, max: 255 }),
          p2: fc.integer({ min: 0, max: 255 }),
          data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 600 }), { nil: undefined }),
          ne: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
        }),
        fc.boolean(),
        (cmd, extended) => {
          const d = decodeCommand(encodeCommand(cmd, { extended }));
          expect(d.ne).toBe(cmd.ne);
          expect(hex(d.data ?? new Uint8Array(0))).toBe(hex(cmd.data ?? new Uint8Array(0)));
          expect([d.cla, d.ins, d.p1, d.p2]).toEqual([cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
        },
      ),
    );
  });
});

describe('response APDU', () => {
  it('splits data and status word', () => {
    const r = parseResponse(fromHex('0102039000'));
    expect(hex(r.data)).toBe('010203');
    expect([r.sw1, r.sw2, r.sw]).toEqual([0x90, 0x00, 0x9000]);
    expect(hex(encodeResponse(r.data, r.sw))).toBe('0102039000');
    expect(parseResponse(fromHex('6A82')).data).toHaveLength(0);
  });
  it('throws on fewer than two bytes', () => {
    expect(() => parseResponse(new Uint8Array(0))).toThrow(RangeError);
    expect(() => parseResponse(fromHex('90'))).toThrow(RangeError);
  });
});
