/**
 * ADH-Tech GT-521F32 / GT-521F52 UART protocol: 12-byte command/response packets and data
 * packets, little-endian. Pure (sans-IO): the driver and the simulated module both use it.
 *
 * Command/response: 55 AA | device id (2) | parameter (4) | command or response code (2) | SUM (2)
 * Data:             5A A5 | device id (2) | data (N)                               | SUM (2)
 * SUM = low 16 bits of the sum of every byte before it. Data packets carry no length: the reader
 * must be told how many data bytes the pending command returns.
 */
import { ReceiveBuffer, sum16 } from './bytes.ts';

export const GT521_DEVICE_ID = 0x0001;
export const GT521_PACKET_LEN = 12;
const DATA_OVERHEAD = 6; // 5A A5 + id 2 + SUM 2

export const Gt521Command = {
  OPEN: 0x01,
  CLOSE: 0x02,
  CHANGE_BAUD_RATE: 0x04,
  CMOS_LED: 0x12,
  IS_PRESS_FINGER: 0x26,
  CAPTURE_FINGER: 0x60,
  GET_IMAGE: 0x62,
  GET_RAW_IMAGE: 0x63,
} as const;

export const GT521_ACK = 0x30;
export const GT521_NACK = 0x31;

/** NACK error codes (carried in the parameter of a NACK response). */
export const Gt521Error = {
  TIMEOUT: 0x1001,
  INVALID_BAUDRATE: 0x1002,
  INVALID_POS: 0x1003,
  IS_NOT_USED: 0x1004,
  IS_ALREADY_USED: 0x1005,
  COMM_ERR: 0x1006,
  VERIFY_FAILED: 0x1007,
  IDENTIFY_FAILED: 0x1008,
  DB_IS_FULL: 0x1009,
  DB_IS_EMPTY: 0x100a,
  TURN_ERR: 0x100b,
  BAD_FINGER: 0x100c,
  ENROLL_FAILED: 0x100d,
  IS_NOT_SUPPORTED: 0x100e,
  DEV_ERR: 0x100f,
  CAPTURE_CANCELED: 0x1010,
  INVALID_PARAM: 0x1011,
  FINGER_IS_NOT_PRESSED: 0x1012,
} as const;

const ERROR_TEXT: Record<number, string> = {
  4097: 'timeout',
  4098: 'invalid baud rate',
  4099: 'invalid position',
  4100: 'position not used',
  4101: 'position already used',
  4102: 'communication error',
  4103: 'verification failed',
  4104: 'identification failed',
  4105: 'database full',
  4106: 'database empty',
  4107: 'wrong enrollment order',
  4108: 'bad finger',
  4109: 'enrollment failed',
  4110: 'command not supported',
  4111: 'device error',
  4112: 'capture cancelled',
  4113: 'invalid parameter',
  4114: 'finger is not pressed',
};

export function gt521ErrorText(code: number): string {
  return ERROR_TEXT[code] ?? `unknown error 0x${code.toString(16).padStart(4, '0')}`;
}

export const GT521_IMAGE_WIDTH = 258;
export const GT521_IMAGE_HEIGHT = 202;
export const GT521_IMAGE_BYTES = GT521_IMAGE_WIDTH * GT521_IMAGE_HEIGHT; // 52,116
export const GT521_RAW_IMAGE_WIDTH = 160;
export const GT521_RAW_IMAGE_HEIGHT = 120;
/** the module's optical window gives roughly 450 dpi; the matcher rescales from this */
export const GT521_IMAGE_DPI = 450;
/** Open with parameter 1 returns firmware version (4), ISO area max size (4), serial (16). */
export const GT521_DEVICE_INFO_BYTES = 24;
export const GT521_BOOT_BAUD = 9600;

/** A 12-byte packet: `code` is the command for host->module, 0x30/0x31 for module->host. */
export interface Gt521Packet {
  readonly deviceId: number;
  readonly param: number;
  readonly code: number;
}

export function encodeGt521Packet(code: number, param = 0, deviceId = GT521_DEVICE_ID): Uint8Array {
  const out = new Uint8Array(GT521_PACKET_LEN);
  const v = new DataView(out.buffer);
  out[0] = 0x55;
  out[1] = 0xaa;
  v.setUint16(2, deviceId, true);
  v.setUint32(4, param >>> 0, true);
  v.setUint16(8, code, true);
  v.setUint16(10, sum16(out, 0, 10), true);
  return out;
}

export const encodeGt521Command = encodeGt521Packet;

export function encodeGt521Response(ok: boolean, param = 0, deviceId = GT521_DEVICE_ID): Uint8Array {
  return encodeGt521Packet(ok ? GT521_ACK : GT521_NACK, param, deviceId);
}

export function encodeGt521Data(data: Uint8Array, deviceId = GT521_DEVICE_ID): Uint8Array {
  const out = new Uint8Array(data.length + DATA_OVERHEAD);
  out[0] = 0x5a;
  out[1] = 0xa5;
  out[2] = deviceId & 0xff;
  out[3] = deviceId >> 8;
  out.set(data, 4);
  const sum = sum16(out, 0, out.length - 2);
  out[out.length - 2] = sum & 0xff;
  out[out.length - 1] = sum >> 8;
  return out;
}

export interface Gt521DeviceInfo {
  firmwareVersion: number;
  isoAreaMaxSize: number;
  /** 16 bytes; a device identifier, not personal data */
  serialNumber: Uint8Array;
}

export function parseGt521DeviceInfo(data: Uint8Array): Gt521DeviceInfo {
  if (data.length < GT521_DEVICE_INFO_BYTES)
    throw new Gt521ProtocolError(`device info needs 24 bytes, got ${data.length}`);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    firmwareVersion: v.getUint32(0, true),
    isoAreaMaxSize: v.getUint32(4, true),
    serialNumber: data.slice(8, 24),
  };
}

export function encodeGt521DeviceInfo(info: Gt521DeviceInfo): Uint8Array {
  const out = new Uint8Array(GT521_DEVICE_INFO_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, info.firmwareVersion >>> 0, true);
  v.setUint32(4, info.isoAreaMaxSize >>> 0, true);
  out.set(info.serialNumber.subarray(0, 16), 8);
  return out;
}

export class Gt521ProtocolError extends Error {
  override name = 'Gt521ProtocolError';
}

export type Gt521ReadEvent =
  | { readonly kind: 'packet'; readonly packet: Gt521Packet }
  | { readonly kind: 'data'; readonly deviceId: number; readonly data: Uint8Array }
  | {
      readonly kind: 'checksum-error';
      readonly what: 'packet' | 'data';
      readonly expected: number;
      readonly received: number;
    };

/**
 * Incremental reader for both packet kinds. `expectData(n)` announces that the next data packet
 * carries n bytes (after an ACK to GetImage, Open(1) ...); without it a 5A A5 header is noise.
 * Bytes before a recognised header are skipped and counted.
 */
export class Gt521Reader {
  private readonly rx = new ReceiveBuffer();
  private pendingDataLength: number | null = null;
  discarded = 0;

  push(chunk: Uint8Array): void {
    this.rx.push(chunk);
  }

  expectData(length: number): void {
    this.pendingDataLength = length;
  }

  reset(): void {
    this.rx.clear();
    this.pendingDataLength = null;
  }

  get buffered(): number {
    return this.rx.length;
  }

  next(): Gt521ReadEvent | null {
    for (;;) {
      if (this.rx.length < 2) {
        if (this.rx.length === 1 && !this.isHeaderStart(this.rx.at(0))) this.drop(1);
        return null;
      }
      const b0 = this.rx.at(0);
      const b1 = this.rx.at(1);
      if (b0 === 0x55 && b1 === 0xaa) return this.readPacket();
      if (b0 === 0x5a && b1 === 0xa5 && this.pendingDataLength !== null)
        return this.readData(this.pendingDataLength);
      this.drop(1);
    }
  }

  private isHeaderStart(b: number): boolean {
    return b === 0x55 || (b === 0x5a && this.pendingDataLength !== null);
  }

  private drop(n: number): void {
    this.rx.skip(n);
    this.discarded += n;
  }

  private readPacket(): Gt521ReadEvent | null {
    if (this.rx.length < GT521_PACKET_LEN) return null;
    const raw = this.rx.take(GT521_PACKET_LEN);
    const v = new DataView(raw.buffer);
    const expected = sum16(raw, 0, 10);
    const received = v.getUint16(10, true);
    if (expected !== received)
      return Object.freeze({ kind: 'checksum-error', what: 'packet', expected, received });
    const packet: Gt521Packet = Object.freeze({
      deviceId: v.getUint16(2, true),
      param: v.getUint32(4, true),
      code: v.getUint16(8, true),
    });
    return Object.freeze({ kind: 'packet', packet });
  }

  private readData(length: number): Gt521ReadEvent | null {
    const total = length + DATA_OVERHEAD;
    if (this.rx.length < total) return null;
    const raw = this.rx.take(total);
    this.pendingDataLength = null;
    const expected = sum16(raw, 0, total - 2);
    const received = raw[total - 2] | (raw[total - 1] << 8);
    if (expected !== received)
      return Object.freeze({ kind: 'checksum-error', what: 'data', expected, received });
    return Object.freeze({
      kind: 'data',
      deviceId: raw[2] | (raw[3] << 8),
      data: raw.subarray(4, total - 2),
    });
  }
}

/** The baud rates ChangeBaudRate accepts. */
export const GT521_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
