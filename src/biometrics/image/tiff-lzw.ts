import { undecodable } from './grey.ts';

/**
 * TIFF LZW (TIFF 6.0 section 13: codes of 9 to 12 bits, most significant bit first, ClearCode 256,
 * EndOfInformation 257, the code width growing one code early) into `out` from `offset`. Returns the
 * bytes written; never writes past `out`'s end.
 *
 * utif2's own decoder trusts the codes: two bytes whose codes name table entries not yet made
 * (0x81 0xC1: codes 259 and 260 with an empty table) make it follow a table entry that points to
 * itself, forever, and the daemon's event loop or a pool worker with it (test/unit/biometrics/image/
 * budget-fuzz.test.ts found one). Here every entry is made from an earlier one, so strings cannot
 * loop, and a code beyond the next free entry is refused as corrupt data. The work is bounded by the
 * input and output lengths.
 */
const CLEAR = 256;
const END = 257;
const FIRST_FREE = 258;
const MAX_CODES = 4096;

export function decodeTiffLzw(
  data: Uint8Array,
  start: number,
  length: number,
  out: Uint8Array,
  offset: number,
): number {
  const end = Math.min(data.length, start + Math.max(0, length));
  // per entry: the code it extends (-1 for a single byte), its last byte, its first byte, its length
  const prefix = new Int16Array(MAX_CODES);
  const last = new Uint8Array(MAX_CODES);
  const first = new Uint8Array(MAX_CODES);
  const size = new Uint16Array(MAX_CODES);
  for (let c = 0; c < 256; c++) {
    prefix[c] = -1;
    last[c] = c;
    first[c] = c;
    size[c] = 1;
  }
  let next = FIRST_FREE;
  let width = 9;
  let previous = -1;
  let bitPos = start * 8;
  let at = offset;

  /** writes entry `code` at `at` (the bytes that fit), back to front along its prefixes */
  const emit = (code: number): void => {
    const n = size[code];
    let c = code;
    for (let k = n - 1; k >= 0; k--) {
      if (at + k < out.length) out[at + k] = last[c];
      c = prefix[c];
    }
    at += n;
  };

  while (at < out.length && bitPos + width <= end * 8) {
    // read `width` bits, most significant first
    let code = 0;
    for (let b = 0; b < width; b++, bitPos++) {
      code = (code << 1) | ((data[bitPos >>> 3] >>> (7 - (bitPos & 7))) & 1);
    }
    if (code === END) break;
    if (code === CLEAR) {
      next = FIRST_FREE;
      width = 9;
      previous = -1;
      continue;
    }
    if (previous < 0) {
      // the first code after a clear must be a single byte
      if (code > 255) throw undecodable('TIFF', 'corrupt LZW data');
      emit(code);
      previous = code;
      continue;
    }
    if (code > next || (code === next && next >= MAX_CODES)) {
      throw undecodable('TIFF', 'corrupt LZW data');
    }
    if (next < MAX_CODES) {
      // the new entry: the previous string and the first byte of this one (of itself when it is new)
      prefix[next] = previous;
      last[next] = code === next ? first[previous] : first[code];
      first[next] = first[previous];
      size[next] = Math.min(size[previous] + 1, MAX_CODES);
      next++;
    }
    emit(code);
    previous = code;
    // "early change": the encoder widens its codes one entry before the table needs the extra bit
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return Math.min(at, out.length) - offset;
}
