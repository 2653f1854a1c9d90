/**
 * The vpcd wire format (pcsc-simulation.md): both ways, a 2-byte big-endian length N then N bytes.
 * From vpcd, N = 1 is a control byte (00 power off, 01 power on, 02 reset, 04 get ATR); N > 1 is a
 * command APDU. Pure: bytes in, frames out, with the unfinished remainder kept between chunks.
 */

export const VPCD_CTRL = { OFF: 0x00, ON: 0x01, RESET: 0x02, ATR: 0x04 } as const;

export type VpcdMessage = { kind: 'control'; code: number } | { kind: 'apdu'; apdu: Uint8Array };

export const MAX_VPCD_PAYLOAD = 0xffff;

export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_VPCD_PAYLOAD) throw new RangeError('vpcd frame longer than 65535 bytes');
  const out = new Uint8Array(payload.length + 2);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

export class FrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Adds received bytes; returns every complete message they finish. */
  push(chunk: Uint8Array): VpcdMessage[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer);
    merged.set(chunk, this.buffer.length);
    const out: VpcdMessage[] = [];
    let i = 0;
    while (merged.length - i >= 2) {
      const n = (merged[i] << 8) | merged[i + 1];
      if (merged.length - i - 2 < n) break;
      const payload = merged.slice(i + 2, i + 2 + n);
      i += 2 + n;
      if (n === 1) out.push({ kind: 'control', code: payload[0] });
      else if (n > 1) out.push({ kind: 'apdu', apdu: payload });
      // n = 0 carries nothing from vpcd's side; ignore it.
    }
    this.buffer = merged.slice(i);
    return out;
  }

  get pending(): number {
    return this.buffer.length;
  }
}
