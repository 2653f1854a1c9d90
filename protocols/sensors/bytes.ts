/**
 * Small byte helpers shared by the sensor packet codecs. Pure: no I/O.
 */

import { concat } from '../bytes.ts';

// Generic helpers come from protocols/bytes.ts; this file keeps what only the sensor codecs need.
export { concat as concatBytes, fromHex, hex } from '../bytes.ts';

const concatBytes = concat;

/** Low 16 bits of the plain byte sum of `bytes[start, end)`: both serial protocols use it. */
export function sum16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += bytes[i];
  return s & 0xffff;
}

/**
 * An append-only receive buffer: bytes arrive in arbitrary chunks (serial ports split packets
 * anywhere), parsers look at the front and consume what they understood.
 */
export class ReceiveBuffer {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const live = this.buf.subarray(this.start);
    this.buf = concatBytes(live, chunk);
    this.start = 0;
  }

  get length(): number {
    return this.buf.length - this.start;
  }

  /** byte at position i from the front */
  at(i: number): number {
    return this.buf[this.start + i];
  }

  peek(n: number): Uint8Array {
    return this.buf.subarray(this.start, this.start + n);
  }

  /** removes and returns a copy of the first n bytes */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    return out;
  }

  skip(n: number): void {
    this.start += Math.min(n, this.length);
  }

  clear(): void {
    this.buf = new Uint8Array(0);
    this.start = 0;
  }
}
