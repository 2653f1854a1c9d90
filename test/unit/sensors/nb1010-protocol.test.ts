import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../protocols/sensors/bytes.ts';
import {
  checkNb1010Reply,
  encodeNb1010Partial,
  NB1010_CHECK_FINGER,
  NB1010_PARTIALS,
  NB1010_PRE_CAPTURE,
  NB1010_WIDTH,
  Nb1010ImageAssembler,
  nb1010FingerLevel,
  nb1010FingerPresent,
  nb1010PartialLastLine,
} from '../../../protocols/sensors/nb1010.ts';

/** Replies as recorded from a real NB-1010-U (libfprint tests/nb1010). */
const FINGER_ON_REPLY = fromHex('803701001000000000000000F7000000');
const PRE_CAPTURE_REPLY = fromHex('80200300100000000000000000000000');
const FIRST_PARTIAL_HEADER = fromHex('802100001C0200000000000001000000010000000001000001');

describe('NB-1010 replies', () => {
  it('reads the finger level from byte 12 of the recorded reply', () => {
    expect(nb1010FingerLevel(FINGER_ON_REPLY)).toBe(0xf7);
    expect(nb1010FingerPresent(FINGER_ON_REPLY)).toBe(true);
  });

  it('treats a level at or below 0x30 as no finger', () => {
    const reply = FINGER_ON_REPLY.slice();
    reply[12] = 0x30;
    expect(nb1010FingerPresent(reply)).toBe(false);
    reply[12] = 0x31;
    expect(nb1010FingerPresent(reply)).toBe(true);
  });

  it('checks the echoed sequence byte and the reply length', () => {
    expect(checkNb1010Reply(NB1010_PRE_CAPTURE, PRE_CAPTURE_REPLY)).toBe(PRE_CAPTURE_REPLY);
    expect(() => checkNb1010Reply(NB1010_CHECK_FINGER, PRE_CAPTURE_REPLY)).toThrow(/sequence 1/);
    expect(() => checkNb1010Reply(NB1010_CHECK_FINGER, FINGER_ON_REPLY.subarray(0, 15))).toThrow(/15 bytes/);
  });
});

describe('NB-1010 image assembly', () => {
  const lines = (index: number) => new Uint8Array(2 * NB1010_WIDTH).fill(index);

  it('reads the line index from the recorded partial header', () => {
    const partial = new Uint8Array(540);
    partial.set(FIRST_PARTIAL_HEADER);
    expect(nb1010PartialLastLine(partial)).toBe(1);
    expect(Array.from(encodeNb1010Partial(0, lines(0)).subarray(0, 25))).toEqual(
      Array.from(FIRST_PARTIAL_HEADER),
    );
  });

  it('stacks 90 partials of two lines, top to bottom, skipping the 25-byte header and the padding', () => {
    const assembler = new Nb1010ImageAssembler();
    for (let i = 0; i < NB1010_PARTIALS; i++) {
      const partial = encodeNb1010Partial(i, lines(i));
      partial[537] = 0xee; // padding after the two lines must not leak into the image
      assembler.accept(partial);
    }
    const image = assembler.image();
    expect([image.width, image.height, image.dpi]).toEqual([256, 180, 385]);
    expect(image.pixels[0]).toBe(0);
    expect(image.pixels[2 * NB1010_WIDTH]).toBe(1);
    expect(image.pixels[179 * NB1010_WIDTH + 255]).toBe(89);
    expect(image.pixels.includes(0xee)).toBe(false);
  });

  it('refuses a short, foreign, out-of-order or surplus partial, and an incomplete image', () => {
    const assembler = new Nb1010ImageAssembler();
    expect(() => assembler.accept(new Uint8Array(539))).toThrow(/539 bytes/);
    const foreign = encodeNb1010Partial(0, lines(0));
    foreign[1] = 0x20;
    expect(() => assembler.accept(foreign)).toThrow(/80 21/);
    expect(() => assembler.accept(encodeNb1010Partial(1, lines(1)))).toThrow(/line 3, expected 1/);
    expect(() => assembler.image()).toThrow(/0 of 90/);
    for (let i = 0; i < NB1010_PARTIALS; i++) assembler.accept(encodeNb1010Partial(i, lines(i)));
    expect(() => assembler.accept(encodeNb1010Partial(90, lines(0)))).toThrow(/already complete/);
  });
});
