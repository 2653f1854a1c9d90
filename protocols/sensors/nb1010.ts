/**
 * NEXT Biometrics NB-1010-U (USB press sensor): command bytes, replies and image assembly.
 * Pure: the driver (drivers/fingerprint/nb1010.ts) moves these bytes over bulk endpoints.
 *
 * Commands are `80 <cmd> <seq> ...`; the device echoes the sequence byte in its 16-byte reply.
 * The image arrives as 90 reads of 540 bytes: a 25-byte header, two lines of 256 pixels, and
 * 3 bytes of padding. Header bytes 16..19 (little-endian) hold the index of the second line,
 * which lets the assembler notice a lost or reordered partial.
 */
import { fromHex } from './bytes.ts';

export const NB1010_USB_VENDOR = 0x298d;
export const NB1010_USB_PRODUCT = 0x1010;
export const NB1010_INTERFACE = 0;
export const NB1010_EP_OUT = 0x02;
export const NB1010_EP_IN = 0x83;

export const NB1010_WIDTH = 256;
export const NB1010_HEIGHT = 180;
/** NB-1010 is a 385 dpi active thermal sensor (NEXT Biometrics datasheet) */
export const NB1010_DPI = 385;

export const NB1010_REPLY_LEN = 16;
export const NB1010_PARTIAL_LEN = 540;
export const NB1010_PARTIAL_HEADER_LEN = 25;
export const NB1010_LINES_PER_PARTIAL = 2;
export const NB1010_PARTIALS = NB1010_HEIGHT / NB1010_LINES_PER_PARTIAL; // 90
/** each command reply is read with this timeout */
export const NB1010_REPLY_TIMEOUT_MS = 500;
/** wait between finger checks when no finger is on */
export const NB1010_POLL_INTERVAL_MS = 50;
/** reply byte 12 above this means a finger is on the sensor */
export const NB1010_FINGER_THRESHOLD = 0x30;
const FINGER_LEVEL_OFFSET = 12;

export const NB1010_CHECK_FINGER: Uint8Array = fromHex('80 38 01 00 08 00 00 00');
export const NB1010_PRE_CAPTURE: Uint8Array = fromHex('80 0d 03 00 0c 00 00 00 00 04 00 00');
export const NB1010_CAPTURE: Uint8Array = fromHex(
  '80 12 04 00 20 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 20 00 00 00',
);

export class Nb1010ProtocolError extends Error {
  override name = 'Nb1010ProtocolError';
}

/** Checks the reply frame to `command` (80, echoed sequence byte) and returns it. */
export function checkNb1010Reply(command: Uint8Array, reply: Uint8Array): Uint8Array {
  if (reply.length !== NB1010_REPLY_LEN) {
    throw new Nb1010ProtocolError(`reply has ${reply.length} bytes, expected ${NB1010_REPLY_LEN}`);
  }
  if (reply[0] !== 0x80 || reply[2] !== command[2]) {
    throw new Nb1010ProtocolError(
      `reply does not echo command 0x${command[1].toString(16)} sequence ${command[2]} (got ${reply[0]}/${reply[2]})`,
    );
  }
  return reply;
}

/** The finger level (reply byte 12) of a check-finger reply. */
export function nb1010FingerLevel(reply: Uint8Array): number {
  checkNb1010Reply(NB1010_CHECK_FINGER, reply);
  return reply[FINGER_LEVEL_OFFSET];
}

export function nb1010FingerPresent(reply: Uint8Array): boolean {
  return nb1010FingerLevel(reply) > NB1010_FINGER_THRESHOLD;
}

/** Index of the last image line a partial carries (header bytes 16..19, little-endian). */
export function nb1010PartialLastLine(partial: Uint8Array): number {
  return new DataView(partial.buffer, partial.byteOffset, partial.byteLength).getUint32(16, true);
}

/**
 * Builds the 256 x 180 image from the 90 partials, top to bottom, checking each one's size,
 * frame bytes and line index.
 */
export class Nb1010ImageAssembler {
  private readonly pixels = new Uint8Array(NB1010_WIDTH * NB1010_HEIGHT);
  private count = 0;

  get complete(): boolean {
    return this.count === NB1010_PARTIALS;
  }

  get partialsReceived(): number {
    return this.count;
  }

  accept(partial: Uint8Array): void {
    if (this.complete) throw new Nb1010ProtocolError('image already complete');
    if (partial.length !== NB1010_PARTIAL_LEN) {
      throw new Nb1010ProtocolError(
        `partial ${this.count} has ${partial.length} bytes, expected ${NB1010_PARTIAL_LEN}`,
      );
    }
    if (partial[0] !== 0x80 || partial[1] !== 0x21) {
      throw new Nb1010ProtocolError(`partial ${this.count} does not start with 80 21`);
    }
    const expectedLine = this.count * NB1010_LINES_PER_PARTIAL + NB1010_LINES_PER_PARTIAL - 1;
    const line = nb1010PartialLastLine(partial);
    if (line !== expectedLine) {
      throw new Nb1010ProtocolError(`partial ${this.count} carries line ${line}, expected ${expectedLine}`);
    }
    const bytes = NB1010_LINES_PER_PARTIAL * NB1010_WIDTH;
    this.pixels.set(
      partial.subarray(NB1010_PARTIAL_HEADER_LEN, NB1010_PARTIAL_HEADER_LEN + bytes),
      this.count * bytes,
    );
    this.count++;
  }

  /** the assembled pixels; throws if partials are missing */
  image(): { width: number; height: number; dpi: number; pixels: Uint8Array } {
    if (!this.complete) {
      throw new Nb1010ProtocolError(`image incomplete: ${this.count} of ${NB1010_PARTIALS} partials`);
    }
    return { width: NB1010_WIDTH, height: NB1010_HEIGHT, dpi: NB1010_DPI, pixels: this.pixels };
  }
}

/** a recorded partial header; bytes 16..19 are replaced by the line index */
const PARTIAL_HEADER_TEMPLATE = fromHex(
  '80 21 00 00 1c 02 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 01 00 00 01',
);

/** Builds one partial as the device sends it (for unit tests and a simulated device). */
export function encodeNb1010Partial(index: number, lines: Uint8Array): Uint8Array {
  const out = new Uint8Array(NB1010_PARTIAL_LEN);
  out.set(PARTIAL_HEADER_TEMPLATE, 0);
  new DataView(out.buffer).setUint32(
    16,
    index * NB1010_LINES_PER_PARTIAL + NB1010_LINES_PER_PARTIAL - 1,
    true,
  );
  out.set(lines.subarray(0, NB1010_LINES_PER_PARTIAL * NB1010_WIDTH), NB1010_PARTIAL_HEADER_LEN);
  return out;
}
