/**
 * Secure messaging of ISO/IEC 7816-4 in the ICAO Doc 9303 part 11 form (DO87 / DO97 / DO99 / DO8E),
 * as a pure transform with an explicit send sequence counter: every function takes the counter and
 * returns the next one, so the owner (a SAM, a card, a test) decides where the state lives.
 *
 * Both directions of both roles are here: the host (or SAM) wraps commands and unwraps responses;
 * the card unwraps commands and wraps responses. The cipher is supplied (3DES for profile v1).
 */
import { type CommandApdu, decodeCommand, encodeCommand, SHORT_MAX_NE } from './apdu.ts';
import { bytesEqual, concat, uintBytes } from './bytes.ts';
import { pad, unpad } from './padding.ts';
import { encodeTlv, readTlv } from './tlv.ts';

export interface SmCipher {
  /** block size in bytes, also the width of the send sequence counter */
  readonly blockSize: number;
  /** encrypts data that is already a multiple of the block size */
  encrypt(padded: Uint8Array): Uint8Array;
  decrypt(cipherText: Uint8Array): Uint8Array;
  /** the checksum over `message`; applies the MAC's own padding */
  mac(message: Uint8Array): Uint8Array;
}

/** Malformed objects or a failed MAC: the card answers 69 88, the SAM's DECRYPT too. */
export class SmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmError';
  }
}

const TAG_DATA = 0x87; // padding-content indicator 01 + cryptogram
const TAG_LE = 0x97;
const TAG_SW = 0x99;
const TAG_MAC = 0x8e;

function nextCounter(ssc: bigint, blockSize: number): bigint {
  return (ssc + 1n) % (1n << BigInt(8 * blockSize));
}

function leBytes(ne: number): Uint8Array {
  if (ne <= SHORT_MAX_NE) return Uint8Array.of(ne === 256 ? 0 : ne);
  return uintBytes(ne === 65536 ? 0 : ne, 2);
}

function neFromLeBytes(v: Uint8Array): number {
  if (v.length === 1) return v[0] === 0 ? 256 : v[0];
  if (v.length === 2) {
    const n = (v[0] << 8) | v[1];
    return n === 0 ? 65536 : n;
  }
  throw new SmError('DO97 of bad length');
}

function encryptedDo(cipher: SmCipher, plain: Uint8Array): Uint8Array {
  const body = concat(Uint8Array.of(0x01), cipher.encrypt(pad(plain, cipher.blockSize)));
  return encodeTlv(TAG_DATA, body);
}

function decryptDo87(cipher: SmCipher, value: Uint8Array): Uint8Array {
  if (
    value.length < 1 + cipher.blockSize ||
    value[0] !== 0x01 ||
    (value.length - 1) % cipher.blockSize !== 0
  ) {
    throw new SmError('DO87 malformed');
  }
  try {
    return unpad(cipher.decrypt(value.slice(1)), cipher.blockSize);
  } catch {
    throw new SmError('DO87 padding incorrect');
  }
}

/** Host/SAM side: protect a plain command. The protected APDU always ends with Le = 00. */
export function wrapCommand(
  cipher: SmCipher,
  ssc: bigint,
  plain: Uint8Array | CommandApdu,
): { apdu: Uint8Array; ssc: bigint } {
  const cmd = plain instanceof Uint8Array ? decodeCommand(plain) : plain;
  const counter = nextCounter(ssc, cipher.blockSize);
  const cla = (cmd.cla & 0xf0) | 0x0c;
  const header = Uint8Array.of(cla, cmd.ins, cmd.p1, cmd.p2);
  const do87 = cmd.data && cmd.data.length > 0 ? encryptedDo(cipher, cmd.data) : new Uint8Array(0);
  const do97 = cmd.ne !== undefined ? encodeTlv(TAG_LE, leBytes(cmd.ne)) : new Uint8Array(0);
  const macInput = concat(uintBytes(counter, cipher.blockSize), pad(header, cipher.blockSize), do87, do97);
  const do8e = encodeTlv(TAG_MAC, cipher.mac(macInput));
  const body = concat(do87, do97, do8e);
  const apdu = encodeCommand({
    cla,
    ins: cmd.ins,
    p1: cmd.p1,
    p2: cmd.p2,
    data: body,
    ne: body.length > 255 ? 65536 : 256,
  });
  return { apdu, ssc: counter };
}

/**
 * Reads the data objects of a protected body in their required order — DO87 (encrypted data), then
 * `second` (DO97 Le in a command, DO99 status in a response), then DO8E — each at most once.
 * `macAt` is where DO8E starts: the MAC covers everything before it.
 */
function readDataObjects(
  body: Uint8Array,
  second: number,
  what: 'command' | 'response',
): { first?: Uint8Array; second?: Uint8Array; mac?: Uint8Array; macAt: number } {
  const found: { first?: Uint8Array; second?: Uint8Array; mac?: Uint8Array; macAt: number } = { macAt: 0 };
  let i = 0;
  try {
    while (i < body.length) {
      const r = readTlv(body, i);
      const tag = r.tlv.tag;
      if (tag === TAG_DATA && !found.first && !found.second && !found.mac) found.first = r.tlv.value;
      else if (tag === second && !found.second && !found.mac) found.second = r.tlv.value;
      else if (tag === TAG_MAC && !found.mac) {
        found.mac = r.tlv.value;
        found.macAt = i;
      } else throw new SmError(`unexpected data object ${tag.toString(16)}`);
      i = r.next;
    }
  } catch (e) {
    if (e instanceof SmError) throw e;
    throw new SmError(`protected ${what} data objects malformed`);
  }
  return found;
}

/** Card side: check and open a protected command. Throws SmError on any layout or MAC problem. */
export function unwrapCommand(
  cipher: SmCipher,
  ssc: bigint,
  protectedApdu: Uint8Array,
): { command: CommandApdu; ssc: bigint } {
  let outer: ReturnType<typeof decodeCommand>;
  try {
    outer = decodeCommand(protectedApdu);
  } catch {
    throw new SmError('protected APDU malformed');
  }
  if ((outer.cla & 0x0c) !== 0x0c) throw new SmError('CLA does not announce secure messaging');
  const counter = nextCounter(ssc, cipher.blockSize);
  const body = outer.data ?? new Uint8Array(0);
  const { first: do87, second: do97, mac, macAt: macCovered } = readDataObjects(body, TAG_LE, 'command');
  if (mac === undefined) throw new SmError('DO8E missing');
  const header = Uint8Array.of(outer.cla, outer.ins, outer.p1, outer.p2);
  const expected = cipher.mac(
    concat(uintBytes(counter, cipher.blockSize), pad(header, cipher.blockSize), body.slice(0, macCovered)),
  );
  if (!bytesEqual(expected, mac)) throw new SmError('command MAC incorrect');
  const command: CommandApdu = { cla: outer.cla & ~0x0c & 0xff, ins: outer.ins, p1: outer.p1, p2: outer.p2 };
  if (do87 !== undefined) command.data = decryptDo87(cipher, do87);
  if (do97 !== undefined) command.ne = neFromLeBytes(do97);
  return { command, ssc: counter };
}

/** Card side: protect a response. Returns the response APDU bytes (DO87 || DO99 || DO8E || 90 00). */
export function wrapResponse(
  cipher: SmCipher,
  ssc: bigint,
  data: Uint8Array,
  sw: number,
): { response: Uint8Array; ssc: bigint } {
  const counter = nextCounter(ssc, cipher.blockSize);
  const do87 = data.length > 0 ? encryptedDo(cipher, data) : new Uint8Array(0);
  const do99 = encodeTlv(TAG_SW, Uint8Array.of((sw >> 8) & 0xff, sw & 0xff));
  const do8e = encodeTlv(TAG_MAC, cipher.mac(concat(uintBytes(counter, cipher.blockSize), do87, do99)));
  return { response: concat(do87, do99, do8e, Uint8Array.of(0x90, 0x00)), ssc: counter };
}

/** Host/SAM side: check and open protected response data (without the outer status word). */
export function unwrapResponse(
  cipher: SmCipher,
  ssc: bigint,
  responseData: Uint8Array,
): { data: Uint8Array; sw: number; ssc: bigint } {
  const counter = nextCounter(ssc, cipher.blockSize);
  const {
    first: do87,
    second: do99,
    mac,
    macAt: macCovered,
  } = readDataObjects(responseData, TAG_SW, 'response');
  if (mac === undefined) throw new SmError('DO8E missing');
  if (do99 === undefined || do99.length !== 2) throw new SmError('DO99 missing or malformed');
  const expected = cipher.mac(
    concat(uintBytes(counter, cipher.blockSize), responseData.slice(0, macCovered)),
  );
  if (!bytesEqual(expected, mac)) throw new SmError('response MAC incorrect');
  const data = do87 !== undefined ? decryptDo87(cipher, do87) : new Uint8Array(0);
  return { data, sw: (do99[0] << 8) | do99[1], ssc: counter };
}
