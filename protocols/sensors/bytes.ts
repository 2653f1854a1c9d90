/**
 * Small byte helpers shared by the sensor packet codecs. Pure: no I/O.
 */

/** Concatenates byte arrays into a new one (the reader buffers append this way). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Low 16 bits of the plain byte sum of `bytes[start, end)`: both serial protocols use it. */
export function sum16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += bytes[i];
  return s & 0xffff;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`not a hex string: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
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
