/**
 * Grow protocol (R30x, ZFM-20, AS608, R503 UART modules): packet codec, instructions, acknowledge
 * codes and the 4-bit image format. Pure (sans-IO): bytes in, events out; commands in, bytes out.
 * Used by the driver (drivers/fingerprint/grow.ts) and by the simulated module (simulator/sensors).
 *
 * Packet: EF 01 | address (4, BE) | PID (1) | LEN (2, BE, payload + 2) | payload | SUM (2, BE)
 * SUM = low 16 bits of PID + both LEN bytes + payload bytes.
 */
import { ReceiveBuffer, sum16 } from './bytes.ts';

export const GROW_DEFAULT_ADDRESS = 0xffffffff;
export const GROW_DEFAULT_PASSWORD = 0x00000000;

export const GrowPid = {
  COMMAND: 0x01,
  DATA: 0x02,
  ACK: 0x07,
  END_DATA: 0x08,
} as const;

export const GrowInstruction = {
  GEN_IMG: 0x01,
  IMG_2_TZ: 0x02,
  UP_IMAGE: 0x0a,
  DOWN_IMAGE: 0x0b,
  SET_SYS_PARA: 0x0e,
  READ_SYS_PARA: 0x0f,
  VFY_PWD: 0x13,
} as const;

/** Acknowledge (confirmation) codes, with the meaning the datasheets give them. */
export const GrowAck = {
  OK: 0x00,
  RECEIVE_ERROR: 0x01,
  NO_FINGER: 0x02,
  CAPTURE_FAILED: 0x03,
  FEATURE_FAILED_DISORDER: 0x06,
  FEATURE_FAILED_FEW_POINTS: 0x07,
  UPLOAD_FAILED: 0x0f,
  INVALID_IMAGE: 0x15,
  WRONG_PASSWORD: 0x13,
} as const;

const ACK_TEXT: Record<number, string> = {
  0: 'ok',
  1: 'receive error',
  2: 'no finger on the sensor',
  3: 'image capture failed',
  6: 'feature generation failed (disorderly image)',
  7: 'feature generation failed (too few points)',
  15: 'cannot upload the image',
  19: 'wrong password',
  21: 'invalid image in the buffer',
};

export function growAckText(code: number): string {
  return ACK_TEXT[code] ?? `unknown code 0x${code.toString(16).padStart(2, '0')}`;
}

/** SetSysPara register numbers used here. */
export const GrowSysParam = {
  BAUD: 4,
  SECURITY_LEVEL: 5,
  PACKET_SIZE: 6,
} as const;

export const GROW_IMAGE_WIDTH = 256;
export const GROW_IMAGE_HEIGHT = 288;
export const GROW_IMAGE_DPI = 500;
/** two pixels per byte on the wire */
export const GROW_IMAGE_BYTES = (GROW_IMAGE_WIDTH * GROW_IMAGE_HEIGHT) / 2;

/** the longest payload a module sends (256-byte data packets) */
const MAX_PAYLOAD = 256;
const HEADER_LEN = 9; // EF 01 + address 4 + PID + LEN 2

export type GrowPacketSize = 32 | 64 | 128 | 256;

/** SetSysPara register 6 content: 0 = 32, 1 = 64, 2 = 128, 3 = 256 bytes. */
export function growPacketSizeCode(size: GrowPacketSize): number {
  return Math.log2(size) - 5;
}

export function growPacketSizeFromCode(code: number): GrowPacketSize {
  if (code < 0 || code > 3) throw new RangeError(`packet size code ${code} out of range 0..3`);
  return (32 << code) as GrowPacketSize;
}

export interface GrowPacket {
  readonly address: number;
  readonly pid: number;
  readonly payload: Uint8Array;
}

export function encodeGrowPacket(
  pid: number,
  payload: Uint8Array,
  address = GROW_DEFAULT_ADDRESS,
): Uint8Array {
  const len = payload.length + 2;
  const out = new Uint8Array(HEADER_LEN + payload.length + 2);
  out[0] = 0xef;
  out[1] = 0x01;
  new DataView(out.buffer).setUint32(2, address >>> 0);
  out[6] = pid;
  out[7] = len >> 8;
  out[8] = len & 0xff;
  out.set(payload, HEADER_LEN);
  const sum = sum16(out, 6, HEADER_LEN + payload.length);
  out[out.length - 2] = sum >> 8;
  out[out.length - 1] = sum & 0xff;
  return out;
}

/** A command packet: instruction code followed by its parameters. */
export function encodeGrowCommand(
  instruction: number,
  params: ArrayLike<number> = [],
  address = GROW_DEFAULT_ADDRESS,
): Uint8Array {
  const payload = new Uint8Array(1 + params.length);
  payload[0] = instruction;
  payload.set(Array.from(params), 1);
  return encodeGrowPacket(GrowPid.COMMAND, payload, address);
}

export function growVerifyPassword(
  password = GROW_DEFAULT_PASSWORD,
  address = GROW_DEFAULT_ADDRESS,
): Uint8Array {
  const p = password >>> 0;
  return encodeGrowCommand(
    GrowInstruction.VFY_PWD,
    [p >>> 24, (p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff],
    address,
  );
}

export function growSetSysParam(register: number, value: number, address = GROW_DEFAULT_ADDRESS): Uint8Array {
  return encodeGrowCommand(GrowInstruction.SET_SYS_PARA, [register, value], address);
}

export function encodeGrowAck(
  code: number,
  data: ArrayLike<number> = [],
  address = GROW_DEFAULT_ADDRESS,
): Uint8Array {
  const payload = new Uint8Array(1 + data.length);
  payload[0] = code;
  payload.set(Array.from(data), 1);
  return encodeGrowPacket(GrowPid.ACK, payload, address);
}

export interface GrowAckReply {
  readonly code: number;
  readonly data: Uint8Array;
}

export function parseGrowAck(packet: GrowPacket): GrowAckReply {
  if (packet.pid !== GrowPid.ACK || packet.payload.length < 1) {
    throw new GrowProtocolError(`expected an acknowledge packet, got PID 0x${packet.pid.toString(16)}`);
  }
  return { code: packet.payload[0], data: packet.payload.subarray(1) };
}

/** Parsed ReadSysPara reply (16 bytes of data after the confirmation code). */
export interface GrowSystemParameters {
  statusRegister: number;
  systemId: number;
  librarySize: number;
  securityLevel: number;
  address: number;
  packetSize: GrowPacketSize;
  baudMultiplier: number;
}

export function parseGrowSystemParameters(data: Uint8Array): GrowSystemParameters {
  if (data.length < 16) throw new GrowProtocolError(`system parameters need 16 bytes, got ${data.length}`);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const code = v.getUint16(12);
  // a sensor's answer is input, not a programming error: GrowProtocolError, not RangeError
  if (code > 3) throw new GrowProtocolError(`system parameters: packet size code ${code} out of range 0..3`);
  return {
    statusRegister: v.getUint16(0),
    systemId: v.getUint16(2),
    librarySize: v.getUint16(4),
    securityLevel: v.getUint16(6),
    address: v.getUint32(8),
    packetSize: growPacketSizeFromCode(code),
    baudMultiplier: v.getUint16(14),
  };
}

export function encodeGrowSystemParameters(p: GrowSystemParameters): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint16(0, p.statusRegister);
  v.setUint16(2, p.systemId);
  v.setUint16(4, p.librarySize);
  v.setUint16(6, p.securityLevel);
  v.setUint32(8, p.address >>> 0);
  v.setUint16(12, growPacketSizeCode(p.packetSize));
  v.setUint16(14, p.baudMultiplier);
  return out;
}

/** The peer sent something that is not valid Grow protocol (a "remote" error in h11 terms). */
export class GrowProtocolError extends Error {
  override name = 'GrowProtocolError';
}

export type GrowReadEvent =
  | { readonly kind: 'packet'; readonly packet: GrowPacket }
  | {
      readonly kind: 'checksum-error';
      readonly pid: number;
      readonly expected: number;
      readonly received: number;
    };

/**
 * Incremental packet reader. Feed it whatever the port delivered with `push`, then call `next`
 * until it returns null (need more bytes). Noise before a header is skipped (and counted); a
 * packet whose checksum does not match is consumed and reported, so the caller can fail the
 * exchange clearly and the stream stays in step for the next one.
 */
export class GrowPacketReader {
  private readonly rx = new ReceiveBuffer();
  /** bytes skipped while looking for a header (line noise, or the tail of a broken packet) */
  discarded = 0;

  push(chunk: Uint8Array): void {
    this.rx.push(chunk);
  }

  get buffered(): number {
    return this.rx.length;
  }

  reset(): void {
    this.rx.clear();
  }

  next(): GrowReadEvent | null {
    for (;;) {
      if (!this.syncToHeader()) return null;
      if (this.rx.length < HEADER_LEN) return null;
      const pid = this.rx.at(6);
      const len = (this.rx.at(7) << 8) | this.rx.at(8);
      if (!isKnownPid(pid) || len < 2 || len > MAX_PAYLOAD + 2) {
        // Not a real header (EF 01 inside noise): drop one byte and look again.
        this.rx.skip(1);
        this.discarded++;
        continue;
      }
      const total = HEADER_LEN + len;
      if (this.rx.length < total) return null;
      const raw = this.rx.take(total);
      const expected = sum16(raw, 6, total - 2);
      const received = (raw[total - 2] << 8) | raw[total - 1];
      if (expected !== received) return Object.freeze({ kind: 'checksum-error', pid, expected, received });
      const address = new DataView(raw.buffer).getUint32(2);
      const packet: GrowPacket = Object.freeze({
        address,
        pid,
        payload: raw.subarray(HEADER_LEN, total - 2),
      });
      return Object.freeze({ kind: 'packet', packet });
    }
  }

  /** drops bytes until the buffer starts with EF 01 (or holds a lone EF at the end) */
  private syncToHeader(): boolean {
    while (this.rx.length > 0) {
      if (this.rx.at(0) === 0xef && (this.rx.length < 2 || this.rx.at(1) === 0x01)) return true;
      this.rx.skip(1);
      this.discarded++;
    }
    return false;
  }
}

function isKnownPid(pid: number): boolean {
  return pid === GrowPid.COMMAND || pid === GrowPid.DATA || pid === GrowPid.ACK || pid === GrowPid.END_DATA;
}

/** 4-bit wire format -> 8-bit grey: high nibble first, nibble n stands for grey n x 17. */
export function unpackGrowImage(
  bytes: Uint8Array,
  width = GROW_IMAGE_WIDTH,
  height = GROW_IMAGE_HEIGHT,
): Uint8Array {
  const pixels = width * height;
  if (bytes.length * 2 !== pixels) {
    throw new GrowProtocolError(`image upload has ${bytes.length} bytes, expected ${pixels / 2}`);
  }
  const out = new Uint8Array(pixels);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = (bytes[i] >> 4) * 17;
    out[2 * i + 1] = (bytes[i] & 0x0f) * 17;
  }
  return out;
}

/** 8-bit grey -> 4-bit wire format (what a module sends; used by the simulator). */
export function packGrowImage(pixels: Uint8Array): Uint8Array {
  if (pixels.length % 2 !== 0) throw new RangeError('pixel count must be even');
  const out = new Uint8Array(pixels.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (Math.round(pixels[2 * i] / 17) << 4) | Math.round(pixels[2 * i + 1] / 17);
  }
  return out;
}

/** Splits an upload into data packets of `packetSize` payload bytes, the last with PID 08. */
export function encodeGrowDataPackets(
  data: Uint8Array,
  packetSize: GrowPacketSize,
  address = GROW_DEFAULT_ADDRESS,
): Uint8Array[] {
  const packets: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += packetSize) {
    const end = Math.min(offset + packetSize, data.length);
    const pid = end === data.length ? GrowPid.END_DATA : GrowPid.DATA;
    packets.push(encodeGrowPacket(pid, data.subarray(offset, end), address));
  }
  return packets;
}

/**
 * Collects the data packets of one UpImage. Data packets are not acknowledged, so the only end
 * marker is PID 08; the assembler also refuses more bytes than an image holds.
 */
export class GrowUploadAssembler {
  private readonly parts: Uint8Array[] = [];
  private received = 0;

  constructor(private readonly expectedBytes = GROW_IMAGE_BYTES) {}

  get bytesReceived(): number {
    return this.received;
  }

  /** returns true when the last data packet has been accepted */
  accept(packet: GrowPacket): boolean {
    if (packet.pid !== GrowPid.DATA && packet.pid !== GrowPid.END_DATA) {
      throw new GrowProtocolError(`expected a data packet, got PID 0x${packet.pid.toString(16)}`);
    }
    this.received += packet.payload.length;
    if (this.received > this.expectedBytes) {
      throw new GrowProtocolError(`image upload exceeds ${this.expectedBytes} bytes`);
    }
    this.parts.push(packet.payload);
    return packet.pid === GrowPid.END_DATA;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.received);
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}
