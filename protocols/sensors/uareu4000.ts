/**
 * DigitalPersona U.are.U 4000 / 4000B / 4500 (USB): register access through vendor control
 * transfers, interrupt messages, and the image frame (64-byte header, 384 x 290 pixels, inverted,
 * optionally scrambled block by block with an LFSR). Pure: the EXPERIMENTAL driver
 * (drivers/fingerprint/uareu4000.ts) moves these over usb; no recording of a real device exists,
 * so everything here is from public reverse-engineered descriptions.
 */

export const URU_USB_VENDOR = 0x05ba;
export const URU_USB_PRODUCTS = [0x0007, 0x0008, 0x000a] as const;
export const URU_4000B_PRODUCT = 0x000a;
export const URU_EP_INTERRUPT = 0x81;
export const URU_EP_DATA = 0x82;
export const URU_INTERRUPT_LEN = 64;

export const URU_WIDTH = 384;
export const URU_HEIGHT = 290;
export const URU_DPI = 512;
export const URU_HEADER_LEN = 64;
export const URU_FRAME_LEN = URU_HEADER_LEN + URU_WIDTH * URU_HEIGHT;

export const UruRegister = {
  HWSTAT: 0x07,
  SCRAMBLE_DATA_INDEX: 0x33,
  SCRAMBLE_DATA_KEY: 0x34,
  MODE: 0x4e,
  DEVICE_INFO: 0xf0,
} as const;

export const UruMode = {
  INIT: 0x00,
  AWAIT_FINGER_ON: 0x10,
  AWAIT_FINGER_OFF: 0x12,
  CAPTURE: 0x20,
  OFF: 0x70,
  READY: 0x80,
} as const;

const REQUEST = 0x04;

/** A control transfer as usb@2's `controlTransfer` takes it. */
export interface ControlSetup {
  readonly bmRequestType: number;
  readonly bRequest: number;
  readonly wValue: number;
  readonly wIndex: number;
  /** bytes to send (OUT) or the number of bytes to read (IN) */
  readonly dataOrLength: Uint8Array | number;
}

export function uruReadRegisters(register: number, count: number): ControlSetup {
  return Object.freeze({
    bmRequestType: 0xc0,
    bRequest: REQUEST,
    wValue: register,
    wIndex: 0,
    dataOrLength: count,
  });
}

export function uruWriteRegisters(register: number, values: ArrayLike<number>): ControlSetup {
  return Object.freeze({
    bmRequestType: 0x40,
    bRequest: REQUEST,
    wValue: register,
    wIndex: 0,
    dataOrLength: Uint8Array.from(values as ArrayLike<number>),
  });
}

export function uruSetMode(mode: number): ControlSetup {
  return uruWriteRegisters(UruRegister.MODE, [mode]);
}

export type UruInterrupt = 'scan-power-on' | 'finger-on' | 'finger-off' | 'death' | 'unknown';

export interface UruInterruptMessage {
  readonly kind: UruInterrupt;
  readonly type: number;
}

export class UruProtocolError extends Error {
  override name = 'UruProtocolError';
}

/** Interrupt message: the first two bytes, big-endian, say what happened. */
export function parseUruInterrupt(message: Uint8Array): UruInterruptMessage {
  if (message.length < 2) throw new UruProtocolError(`interrupt message of ${message.length} bytes`);
  const type = (message[0] << 8) | message[1];
  const kind: UruInterrupt =
    type === 0x56aa
      ? 'scan-power-on'
      : type === 0x0101
        ? 'finger-on'
        : type === 0x0200
          ? 'finger-off'
          : type === 0x0800
            ? 'death'
            : 'unknown';
  return Object.freeze({ kind, type });
}

export const UruBlockFlag = {
  NOT_PRESENT: 0x01,
  ENCRYPTED: 0x02,
  NO_KEY_UPDATE: 0x04,
  CHANGE_KEY: 0x80,
} as const;

export interface UruBlock {
  readonly flags: number;
  readonly lines: number;
}

export interface UruFrameHeader {
  /** lines of pixel data the frame carries */
  readonly lines: number;
  readonly keyNumber: number;
  readonly blocks: readonly UruBlock[];
}

/**
 * Header layout: bytes 4..5 line count (little-endian), byte 6 key number, bytes 16..45 fifteen
 * (flags, lines) block descriptors; the rest is unknown.
 */
export function parseUruFrameHeader(frame: Uint8Array): UruFrameHeader {
  if (frame.length < URU_HEADER_LEN)
    throw new UruProtocolError(`frame of ${frame.length} bytes has no header`);
  const lines = frame[4] | (frame[5] << 8);
  const blocks: UruBlock[] = [];
  for (let i = 0; i < 15; i++) {
    const flags = frame[16 + 2 * i];
    const count = frame[17 + 2 * i];
    if (count === 0) break;
    blocks.push(Object.freeze({ flags, lines: count }));
  }
  if (lines >= URU_HEIGHT) throw new UruProtocolError(`frame claims ${lines} lines (max ${URU_HEIGHT - 1})`);
  if (frame.length < URU_HEADER_LEN + lines * URU_WIDTH) {
    throw new UruProtocolError(`frame of ${frame.length} bytes is too short for ${lines} lines`);
  }
  return Object.freeze({ lines, keyNumber: frame[6], blocks: Object.freeze(blocks) });
}

/** One LFSR step of the scrambling key (taps 1 3 4 7 11 13 20 23 26 29 32). */
export function uruNextKey(key: number): number {
  let parity = (key & 0x9248144d) >>> 0;
  parity ^= parity >>> 16;
  parity ^= parity >>> 8;
  parity ^= parity >>> 4;
  parity ^= parity >>> 2;
  parity ^= parity >>> 1;
  return (((parity & 1) << 31) | (key >>> 1)) >>> 0;
}

const XOR_BITS = [4, 8, 11, 14, 18, 21, 24, 29];

function keyByte(key: number): number {
  let b = 0;
  for (let i = 0; i < XOR_BITS.length; i++) b |= ((key >>> XOR_BITS[i]) & 1) << i;
  return b;
}

/**
 * Unscrambles `data` in place: every byte is the next byte XOR the key stream, and the last
 * byte is implicitly zero. Returns the key for the next block.
 */
export function uruDescramble(data: Uint8Array, key: number): number {
  let k = key >>> 0;
  for (let i = 0; i < data.length - 1; i++) {
    const x = keyByte(k);
    k = uruNextKey(k);
    data[i] = data[i + 1] ^ x;
  }
  if (data.length > 0) data[data.length - 1] = 0;
  return uruNextKey(k);
}

/** The inverse of uruDescramble (what the device does); for tests and a simulated device. */
export function uruScramble(data: Uint8Array, key: number): number {
  let k = key >>> 0;
  const plain = data.slice();
  data[0] = 0;
  for (let i = 0; i < data.length - 1; i++) {
    const x = keyByte(k);
    k = uruNextKey(k);
    data[i + 1] = plain[i] ^ x;
  }
  return uruNextKey(k);
}

/** Bytes to write at register 0x33 to ask for the key of `keyNumber`, salted with `seed`. */
export function uruKeyRequest(keyNumber: number, seed: number): Uint8Array {
  const s = seed >>> 0;
  return Uint8Array.of(keyNumber & 0xff, s & 0xff, (s >>> 8) & 0xff, (s >>> 16) & 0xff, s >>> 24);
}

/** The 4 bytes read back from register 0x34, unsalted. */
export function uruKeyFromRegister(bytes: Uint8Array, seed: number): number {
  if (bytes.length < 4) throw new UruProtocolError('key register read returned fewer than 4 bytes');
  const k = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  return (k ^ seed) >>> 0;
}

export function uruFrameNeedsKey(header: UruFrameHeader): boolean {
  return header.blocks.some((b) => (b.flags & UruBlockFlag.ENCRYPTED) !== 0);
}

/**
 * Unscrambles the encrypted blocks of a frame in place with the key read for its key number.
 * A block asking for a key change (flag 0x80) needs another register round trip, which this
 * pure step cannot do: it reports it so the driver can fetch the next key and call again.
 */
export function uruDescrambleFrame(
  frame: Uint8Array,
  header: UruFrameHeader,
  key: number,
  fromBlock = 0,
): { done: true } | { done: false; changeKeyAtBlock: number } {
  let k = key >>> 0;
  let line = 0;
  for (let b = 0; b < fromBlock; b++)
    if ((header.blocks[b].flags & UruBlockFlag.NOT_PRESENT) === 0) line += header.blocks[b].lines;
  for (let b = fromBlock; b < header.blocks.length && line < header.lines; b++) {
    const { flags, lines } = header.blocks[b];
    if (flags & UruBlockFlag.CHANGE_KEY && b !== fromBlock) return { done: false, changeKeyAtBlock: b };
    const start = URU_HEADER_LEN + line * URU_WIDTH;
    const size = lines * URU_WIDTH;
    const mode = flags & (UruBlockFlag.NO_KEY_UPDATE | UruBlockFlag.ENCRYPTED);
    if (mode === UruBlockFlag.ENCRYPTED) {
      k = uruDescramble(frame.subarray(start, start + size), k);
    } else if (mode === 0) {
      for (let i = 0; i < size; i++) k = uruNextKey(k);
    }
    if ((flags & UruBlockFlag.NOT_PRESENT) === 0) line += lines;
  }
  return { done: true };
}

/**
 * Lays the blocks out into a 384 x 290 image and inverts it (the sensor reports ridges bright).
 * A block marked "not present" repeats the lines that follow it (the device skipped them).
 * The original 4000 delivers the image rotated by 180 degrees: `rotate180` undoes it.
 */
export function uruFrameToImage(
  frame: Uint8Array,
  header: UruFrameHeader,
  rotate180: boolean,
): { width: number; height: number; dpi: number; pixels: Uint8Array } {
  const pixels = new Uint8Array(URU_WIDTH * URU_HEIGHT);
  let src = 0;
  let dst = 0;
  const blocks = header.blocks.length > 0 ? header.blocks : [{ flags: 0, lines: header.lines }];
  for (const { flags, lines } of blocks) {
    if (src >= header.lines || dst >= URU_HEIGHT) break;
    const n = Math.min(lines, URU_HEIGHT - dst, header.lines - src);
    const from = URU_HEADER_LEN + src * URU_WIDTH;
    pixels.set(frame.subarray(from, from + n * URU_WIDTH), dst * URU_WIDTH);
    if ((flags & UruBlockFlag.NOT_PRESENT) === 0) src += n;
    dst += n;
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
  if (rotate180) pixels.reverse();
  return { width: URU_WIDTH, height: URU_HEIGHT, dpi: URU_DPI, pixels };
}
