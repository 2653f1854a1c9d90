/**
 * BER-TLV (ISO/IEC 8825-1 as used by ISO/IEC 7816-4): multi-byte tags and definite lengths up to 4 bytes.
 * Tags are kept as numbers of their raw bytes (e.g. 0x5F1F), the usual smart-card convention.
 */

export interface Tlv {
  tag: number;
  value: Uint8Array;
}

export class TlvError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'TlvError';
  }
}

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff) throw new TlvError(`bad tag ${tag}`);
  const bytes: number[] = [];
  let t = tag;
  do {
    bytes.unshift(t & 0xff);
    t = Math.floor(t / 256);
  } while (t > 0);
  return Uint8Array.from(bytes);
}

export function encodeLength(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new TlvError(`bad length ${n}`);
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const t = encodeTag(tag);
  const l = encodeLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}

export function encodeTlvs(items: Tlv[]): Uint8Array {
  const parts = items.map((i) => encodeTlv(i.tag, i.value));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Reads one TLV at `offset`; returns it with the offset just after it. */
export function readTlv(bytes: Uint8Array, offset = 0): { tlv: Tlv; next: number; headerLength: number } {
  let i = offset;
  if (i >= bytes.length) throw new TlvError('no tag');
  let tag = bytes[i++];
  if ((tag & 0x1f) === 0x1f) {
    // Subsequent tag bytes while bit 8 is set; at most 4 tag bytes in total.
    let b: number;
    let count = 1;
    do {
      if (i >= bytes.length) throw new TlvError('truncated tag');
      b = bytes[i++];
      tag = tag * 256 + b;
      if (++count > 4) throw new TlvError('tag longer than 4 bytes');
    } while (b & 0x80);
  }
  if (i >= bytes.length) throw new TlvError('no length');
  let len = bytes[i++];
  if (len === 0x80) throw new TlvError('indefinite length not supported');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new TlvError('length field longer than 4 bytes');
    if (i + n > bytes.length) throw new TlvError('truncated length');
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + bytes[i++];
  }
  if (i + len > bytes.length) throw new TlvError('value runs past the end');
  return { tlv: { tag, value: bytes.slice(i, i + len) }, next: i + len, headerLength: i - offset };
}

/** Parses a flat sequence of TLVs that must fill `bytes` exactly. */
export function parseTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const r = readTlv(bytes, i);
    out.push(r.tlv);
    i = r.next;
  }
  return out;
}

/** True when the first tag byte marks a constructed object (bit 6). */
export function isConstructed(tag: number): boolean {
  return (encodeTag(tag)[0] & 0x20) !== 0;
}
