/**
 * ISO/IEC 7816-4 command and response APDUs: encode and decode, short and extended length, cases 1-4.
 *
 * `ne` is the number of expected response bytes (Ne), not the raw Le byte: Le 00 in a short APDU is
 * Ne = 256, Le 0000 in an extended APDU is Ne = 65536. `undefined` means "no Le field".
 */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** command data (Nc bytes); absent or empty means no Lc field */
  data?: Uint8Array;
  /** expected response length 1..65536; absent means no Le field */
  ne?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw1: number;
  sw2: number;
  /** SW1 << 8 | SW2 */
  sw: number;
}

export const SHORT_MAX_NC = 255;
export const SHORT_MAX_NE = 256;
export const EXTENDED_MAX_NC = 65535;
export const EXTENDED_MAX_NE = 65536;

/**
 * A malformed APDU. A RangeError, as before, so existing callers that catch RangeError still do;
 * its own class so a fuzzer (and a caller) can tell a parser refusal from a bug.
 */
export class ApduError extends RangeError {
  override name = 'ApduError';
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name} is not a byte: ${v}`);
}

/** Uses the short form when Nc and Ne allow it, unless `extended` forces the extended form. */
export function encodeCommand(cmd: CommandApdu, opts: { extended?: boolean } = {}): Uint8Array {
  checkByte('CLA', cmd.cla);
  checkByte('INS', cmd.ins);
  checkByte('P1', cmd.p1);
  checkByte('P2', cmd.p2);
  const data = cmd.data ?? new Uint8Array(0);
  const ne = cmd.ne;
  if (data.length > EXTENDED_MAX_NC) throw new RangeError(`Nc ${data.length} too large`);
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > EXTENDED_MAX_NE)) {
    throw new RangeError(`Ne ${ne} out of range`);
  }
  const extended =
    opts.extended === true || data.length > SHORT_MAX_NC || (ne !== undefined && ne > SHORT_MAX_NE);
  const header = [cmd.cla, cmd.ins, cmd.p1, cmd.p2];
  const out: number[] = [...header];
  if (!extended) {
    if (data.length > 0) out.push(data.length, ...data);
    if (ne !== undefined) out.push(ne === 256 ? 0 : ne);
    return Uint8Array.from(out);
  }
  // Extended: one 00 marker byte, then 2-byte Lc and/or 2-byte Le (Le keeps the marker only without data).
  if (data.length > 0) {
    out.push(0, data.length >> 8, data.length & 0xff);
    const bytes = new Uint8Array(out.length + data.length + (ne !== undefined ? 2 : 0));
    bytes.set(out);
    bytes.set(data, out.length);
    if (ne !== undefined) {
      const le = ne === 65536 ? 0 : ne;
      bytes[bytes.length - 2] = le >> 8;
      bytes[bytes.length - 1] = le & 0xff;
    }
    return bytes;
  }
  if (ne !== undefined) {
    const le = ne === 65536 ? 0 : ne;
    out.push(0, le >> 8, le & 0xff);
  }
  return Uint8Array.from(out);
}

/** Decodes any of the seven ISO cases (1, 2S, 3S, 4S, 2E, 3E, 4E); throws ApduError (a RangeError) on a malformed APDU. */
export function decodeCommand(apdu: Uint8Array): CommandApdu & { extended: boolean } {
  if (apdu.length < 4) throw new ApduError('APDU shorter than its header');
  const [cla, ins, p1, p2] = apdu;
  const base = { cla, ins, p1, p2, extended: false };
  const n = apdu.length;
  if (n === 4) return base;
  const b4 = apdu[4];
  if (n === 5) return { ...base, ne: b4 === 0 ? 256 : b4 };
  if (b4 !== 0) {
    // Short case 3 or 4.
    if (n === 5 + b4) return { ...base, data: apdu.slice(5, 5 + b4) };
    if (n === 6 + b4) {
      const le = apdu[5 + b4];
      return { ...base, data: apdu.slice(5, 5 + b4), ne: le === 0 ? 256 : le };
    }
    throw new ApduError('short APDU length does not match Lc');
  }
  // Extended: 00 marker.
  if (n === 7) {
    const le = (apdu[5] << 8) | apdu[6];
    return { ...base, extended: true, ne: le === 0 ? 65536 : le };
  }
  if (n < 8) throw new ApduError('truncated extended APDU');
  const nc = (apdu[5] << 8) | apdu[6];
  if (nc === 0) throw new ApduError('extended Lc of zero');
  if (n === 7 + nc) return { ...base, extended: true, data: apdu.slice(7, 7 + nc) };
  if (n === 9 + nc) {
    const le = (apdu[7 + nc] << 8) | apdu[8 + nc];
    return { ...base, extended: true, data: apdu.slice(7, 7 + nc), ne: le === 0 ? 65536 : le };
  }
  throw new ApduError('extended APDU length does not match Lc');
}

/** Throws ApduError (a RangeError) when shorter than two bytes (the caller decides what that means: usually card removal). */
export function parseResponse(raw: Uint8Array): ResponseApdu {
  if (raw.length < 2) throw new ApduError('response shorter than a status word');
  const sw1 = raw[raw.length - 2];
  const sw2 = raw[raw.length - 1];
  return { data: raw.slice(0, raw.length - 2), sw1, sw2, sw: (sw1 << 8) | sw2 };
}

export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** A bare status-word response. */
export function statusOnly(sw: number): Uint8Array {
  return Uint8Array.of((sw >> 8) & 0xff, sw & 0xff);
}
