import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../../../protocols/sensors/bytes.ts';
import {
  parseUruFrameHeader,
  parseUruInterrupt,
  URU_FRAME_LEN,
  URU_HEADER_LEN,
  URU_HEIGHT,
  URU_WIDTH,
  UruBlockFlag,
  UruMode,
  UruRegister,
  uruDescramble,
  uruDescrambleFrame,
  uruFrameNeedsKey,
  uruFrameToImage,
  uruKeyFromRegister,
  uruKeyRequest,
  uruNextKey,
  uruReadRegisters,
  uruScramble,
  uruSetMode,
  uruWriteRegisters,
} from '../../../protocols/sensors/uareu4000.ts';

function frame(
  lines: number,
  blocks: [flags: number, lines: number][],
  fill: (line: number) => number,
): Uint8Array {
  const f = new Uint8Array(URU_FRAME_LEN);
  f[4] = lines & 0xff;
  f[5] = lines >> 8;
  f[6] = 3; // key number
  blocks.forEach(([flags, n], i) => {
    f[16 + 2 * i] = flags;
    f[17 + 2 * i] = n;
  });
  for (let l = 0; l < lines; l++)
    f.fill(fill(l), URU_HEADER_LEN + l * URU_WIDTH, URU_HEADER_LEN + (l + 1) * URU_WIDTH);
  return f;
}

describe('U.are.U register access', () => {
  it('reads and writes registers with vendor request 04 on the device', () => {
    expect(uruReadRegisters(UruRegister.HWSTAT, 1)).toEqual({
      bmRequestType: 0xc0,
      bRequest: 4,
      wValue: 0x07,
      wIndex: 0,
      dataOrLength: 1,
    });
    const mode = uruSetMode(UruMode.AWAIT_FINGER_ON);
    expect([mode.bmRequestType, mode.bRequest, mode.wValue, mode.wIndex]).toEqual([0x40, 4, 0x4e, 0]);
    expect(hex(mode.dataOrLength as Uint8Array)).toBe('10');
    expect(
      hex(
        uruWriteRegisters(UruRegister.SCRAMBLE_DATA_INDEX, uruKeyRequest(3, 0x12345678))
          .dataOrLength as Uint8Array,
      ),
    ).toBe('0378563412');
  });

  it('unsalts the key read back from register 0x34', () => {
    expect(uruKeyFromRegister(fromHex('78563412'), 0x12345678)).toBe(0);
    expect(uruKeyFromRegister(fromHex('01000000'), 0)).toBe(1);
  });
});

describe('U.are.U interrupt messages', () => {
  it('names the first two bytes, big-endian', () => {
    const msg = (h: string) => {
      const m = new Uint8Array(64);
      m.set(fromHex(h));
      return parseUruInterrupt(m);
    };
    expect(msg('56aa').kind).toBe('scan-power-on');
    expect(msg('0101').kind).toBe('finger-on');
    expect(msg('0200').kind).toBe('finger-off');
    expect(msg('0800').kind).toBe('death');
    expect(msg('1234')).toEqual({ kind: 'unknown', type: 0x1234 });
    expect(() => parseUruInterrupt(Uint8Array.of(1))).toThrow();
  });
});

describe('U.are.U image frames', () => {
  it('parses the header: line count, key number, block list up to the first empty block', () => {
    const header = parseUruFrameHeader(
      frame(
        289,
        [
          [0, 100],
          [UruBlockFlag.ENCRYPTED, 189],
        ],
        () => 0,
      ),
    );
    expect(header).toEqual({
      lines: 289,
      keyNumber: 3,
      blocks: [
        { flags: 0, lines: 100 },
        { flags: 2, lines: 189 },
      ],
    });
    expect(uruFrameNeedsKey(header)).toBe(true);
  });

  it('refuses frames that claim too many lines or are cut short', () => {
    expect(() => parseUruFrameHeader(frame(290, [[0, 290]], () => 0))).toThrow(/290 lines/);
    expect(() =>
      parseUruFrameHeader(frame(100, [[0, 100]], () => 0).subarray(0, 64 + 99 * URU_WIDTH)),
    ).toThrow(/too short/);
  });

  it('inverts the pixels (the sensor reports ridges bright) and lays blocks out', () => {
    const f = frame(289, [[0, 289]], (l) => l % 256);
    const header = parseUruFrameHeader(f);
    const image = uruFrameToImage(f, header, false);
    expect([image.width, image.height]).toEqual([URU_WIDTH, URU_HEIGHT]);
    expect(image.pixels[0]).toBe(255);
    expect(image.pixels[10 * URU_WIDTH + 5]).toBe(245);
    expect(image.pixels[289 * URU_WIDTH]).toBe(255); // the line the frame did not carry stays white
  });

  it('repeats the data after a "not present" block and can rotate by 180 degrees', () => {
    const f = frame(
      10,
      [
        [UruBlockFlag.NOT_PRESENT, 2],
        [0, 10],
      ],
      (l) => l + 1,
    );
    const image = uruFrameToImage(f, parseUruFrameHeader(f), false);
    expect(image.pixels[0]).toBe(254); // block 0 shows line 0 ...
    expect(image.pixels[2 * URU_WIDTH]).toBe(254); // ... and block 1 starts with it again
    expect(image.pixels[11 * URU_WIDTH]).toBe(245);
    const rotated = uruFrameToImage(f, parseUruFrameHeader(f), true);
    expect(rotated.pixels[rotated.pixels.length - 1]).toBe(image.pixels[0]);
  });
});

describe('U.are.U scrambling', () => {
  it('steps the LFSR: shifts right, feeds back the parity of the tapped bits', () => {
    expect(uruNextKey(0)).toBe(0);
    expect(uruNextKey(1)).toBe(0x80000000); // bit 0 is tapped: parity 1
    expect(uruNextKey(2)).toBe(1); // bit 1 is not tapped
    expect(uruNextKey(0x9248144d)).toBe(((0x9248144d >>> 1) | 0x80000000) >>> 0); // 11 taps set: odd
  });

  it('descrambles what scrambling produced (last byte implicitly zero), returning the same next key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 800 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (plain, key) => {
          const data = plain.slice();
          data[data.length - 1] = 0;
          const expected = data.slice();
          const next1 = uruScramble(data, key);
          const next2 = uruDescramble(data, key);
          expect(hex(data)).toBe(hex(expected));
          expect(next2).toBe(next1);
        },
      ),
    );
  });

  it('descrambles the encrypted blocks of a frame and advances the key over plain ones', () => {
    const f = frame(
      30,
      [
        [0, 10],
        [UruBlockFlag.ENCRYPTED, 20],
      ],
      (l) => (l * 7) & 0xff,
    );
    const header = parseUruFrameHeader(f);
    const start = URU_HEADER_LEN + 10 * URU_WIDTH;
    const block = f.subarray(start, start + 20 * URU_WIDTH);
    block[block.length - 1] = 0;
    const plain = f.slice();
    let key = 0xcafef00d;
    for (let i = 0; i < 10 * URU_WIDTH; i++) key = uruNextKey(key);
    uruScramble(block, key);
    expect(hex(f)).not.toBe(hex(plain));
    expect(uruDescrambleFrame(f, header, 0xcafef00d)).toEqual({ done: true });
    expect(hex(f)).toBe(hex(plain));
  });

  it('stops at a block that asks for a key change', () => {
    const f = frame(
      30,
      [
        [0, 10],
        [UruBlockFlag.CHANGE_KEY | UruBlockFlag.ENCRYPTED, 20],
      ],
      () => 0,
    );
    const header = parseUruFrameHeader(f);
    expect(uruDescrambleFrame(f, header, 1)).toEqual({ done: false, changeKeyAtBlock: 1 });
    expect(uruDescrambleFrame(f, header, 1, 1)).toEqual({ done: true });
  });
});
