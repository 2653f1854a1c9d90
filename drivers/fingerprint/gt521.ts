/**
 * ADH-Tech GT-521F32 / GT-521F52 UART modules. The module boots at 9,600 baud; the driver opens
 * it, switches to 115,200 for image transfer (a 52 KB image takes ~54 s at 9,600), lights the
 * CMOS LED while looking for a finger, and reads the 258 x 202 image with GetImage.
 * Packet format: protocols/sensors/gt521.ts.
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import {
  encodeGt521Command,
  GT521_ACK,
  GT521_BOOT_BAUD,
  GT521_DEVICE_INFO_BYTES,
  GT521_IMAGE_BYTES,
  GT521_IMAGE_DPI,
  GT521_IMAGE_HEIGHT,
  GT521_IMAGE_WIDTH,
  GT521_NACK,
  Gt521Command,
  Gt521Error,
  type Gt521ReadEvent,
  Gt521Reader,
  gt521ErrorText,
  parseGt521DeviceInfo,
} from '../../protocols/sensors/gt521.ts';
import { PacketChannel } from '../serial/packet-channel.ts';
import { SerialSensorBase } from './serial-sensor.ts';
import type { SensorDescriptor } from './types.ts';

const REPLY_TIMEOUT_MS = 3_000;
/** how long the module may stay silent in the middle of a data packet */
const DATA_SILENCE_MS = 2_000;
/** the module changes its rate right after acknowledging: give the UART time to settle */
const BAUD_SETTLE_MS = 50;

export interface Gt521Options {
  /** the rate used after open (default 115,200); the module's boot rate is 9,600 */
  transferBaudRate?: number;
  /** CaptureFinger quality: true = best image (slower), false = fast */
  bestImage?: boolean;
}

export class Gt521Sensor extends SerialSensorBase {
  static readonly descriptor: SensorDescriptor = {
    id: 'gt521',
    name: 'ADH-Tech GT-521F32 / GT-521F52',
    kind: 'serial',
    serial: { baudRate: GT521_BOOT_BAUD, transferBaudRate: 115_200 },
    capabilities: {
      preview: false,
      fingerDetect: true,
      width: GT521_IMAGE_WIDTH,
      height: GT521_IMAGE_HEIGHT,
      dpi: GT521_IMAGE_DPI,
    },
  };
  readonly descriptor = Gt521Sensor.descriptor;
  protected override pollIntervalMs = 100;
  private channel: PacketChannel<Gt521ReadEvent> | null = null;
  private reader = new Gt521Reader();
  private ledOn = false;
  /** firmware version reported by Open, for diagnostics */
  firmwareVersion: number | null = null;
  /** the module's 16-byte serial number from Open, as hex; receipts name the sensor by it */
  serialNumber: string | undefined = undefined;

  protected async openDevice(): Promise<void> {
    const bootRate = this.config.baudRate ?? GT521_BOOT_BAUD;
    const transferRate = this.option('transferBaudRate', Gt521Sensor.descriptor.serial!.transferBaudRate!);
    const transport = await this.openPort(bootRate);
    this.reader = new Gt521Reader();
    this.channel = new PacketChannel(transport, this.reader);
    try {
      if (!(await this.tryOpen())) {
        // A module left at the transfer rate by an earlier session still talks at that rate.
        await transport.setBaudRate(transferRate);
        if (!(await this.tryOpen()))
          throw new BridgeError('NO_SENSOR', `no GT-521 module answers on ${this.config.path}`);
      }
      if (transport.baudRate !== transferRate) {
        await this.command(Gt521Command.CHANGE_BAUD_RATE, transferRate);
        await new Promise((r) => setTimeout(r, BAUD_SETTLE_MS));
        await transport.setBaudRate(transferRate);
      }
      // The LED is off after power-on and after our close; it is lit only while looking for a finger.
      this.ledOn = false;
    } catch (e) {
      await this.closeDevice();
      throw e;
    }
  }

  /** Open with device info; false when nothing answers at the port's current rate. */
  private async tryOpen(): Promise<boolean> {
    try {
      const info = await this.command(Gt521Command.OPEN, 1, GT521_DEVICE_INFO_BYTES);
      if (info) {
        const parsed = parseGt521DeviceInfo(info);
        this.firmwareVersion = parsed.firmwareVersion;
        this.serialNumber = Buffer.from(parsed.serialNumber).toString('hex');
      }
      return true;
    } catch (e) {
      if (e instanceof BridgeError && e.code === 'TIMEOUT') return false;
      throw e;
    }
  }

  protected async detectFinger(signal?: AbortSignal): Promise<boolean> {
    await this.setLed(true, signal);
    const reply = await this.request(Gt521Command.IS_PRESS_FINGER, 0, signal);
    if (reply.code !== GT521_ACK) throw nackError('IsPressFinger', reply.param);
    return reply.param === 0;
  }

  protected async readImage(signal?: AbortSignal): Promise<GrayImage> {
    try {
      const capture = await this.request(
        Gt521Command.CAPTURE_FINGER,
        this.option('bestImage', true) ? 1 : 0,
        signal,
      );
      if (capture.code !== GT521_ACK) {
        if (capture.param === Gt521Error.FINGER_IS_NOT_PRESSED) {
          throw new BridgeError('CAPTURE_TIMEOUT', 'the finger was lifted before the capture');
        }
        throw nackError('CaptureFinger', capture.param);
      }
      const pixels = await this.command(Gt521Command.GET_IMAGE, 0, GT521_IMAGE_BYTES, signal);
      return { width: GT521_IMAGE_WIDTH, height: GT521_IMAGE_HEIGHT, dpi: GT521_IMAGE_DPI, pixels: pixels! };
    } finally {
      if (this.isOpen) await this.setLed(false).catch(() => undefined);
    }
  }

  protected override async closeDevice(): Promise<void> {
    if (this.channel && this.transport?.isOpen && this.ledOn) await this.setLed(false).catch(() => undefined);
    this.channel = null;
    await super.closeDevice();
  }

  private async setLed(on: boolean, signal?: AbortSignal): Promise<void> {
    if (this.ledOn === on) return;
    await this.command(Gt521Command.CMOS_LED, on ? 1 : 0, undefined, signal);
    this.ledOn = on;
  }

  /** Sends a command and returns the data packet that follows its ACK (when `dataLength`). */
  private async command(
    code: number,
    param: number,
    dataLength?: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array | undefined> {
    const reply = await this.request(code, param, signal);
    if (reply.code !== GT521_ACK) throw nackError(commandName(code), reply.param);
    if (dataLength === undefined) return undefined;
    const event = await this.requireChannel().receive(DATA_SILENCE_MS, signal);
    if (event.kind === 'checksum-error') {
      throw new BridgeError(
        'INTERNAL',
        `GT-521 ${commandName(code)}: data packet has a bad checksum (0x${event.received.toString(16)}, computed 0x${event.expected.toString(16)})`,
      );
    }
    if (event.kind !== 'data')
      throw new BridgeError('INTERNAL', `GT-521 ${commandName(code)}: expected a data packet`);
    return event.data;
  }

  /** Sends one command packet and returns the response packet (ACK or NACK). */
  private async request(
    code: number,
    param: number,
    signal?: AbortSignal,
  ): Promise<{ code: number; param: number }> {
    const channel = this.requireChannel();
    await channel.send(encodeGt521Command(code, param));
    // Data-returning commands are announced before the reply can arrive (the ACK and the data
    // packet may come in one chunk).
    if (code === Gt521Command.GET_IMAGE) this.reader.expectData(GT521_IMAGE_BYTES);
    if (code === Gt521Command.OPEN && param !== 0) this.reader.expectData(GT521_DEVICE_INFO_BYTES);
    const event = await channel.receive(REPLY_TIMEOUT_MS, signal);
    if (event.kind === 'checksum-error') {
      throw new BridgeError(
        'INTERNAL',
        `GT-521 ${commandName(code)}: response has a bad checksum (0x${event.received.toString(16)}, computed 0x${event.expected.toString(16)})`,
      );
    }
    if (event.kind !== 'packet' || (event.packet.code !== GT521_ACK && event.packet.code !== GT521_NACK)) {
      throw new BridgeError('INTERNAL', `GT-521 ${commandName(code)}: unexpected reply`);
    }
    return { code: event.packet.code, param: event.packet.param };
  }

  private requireChannel(): PacketChannel<Gt521ReadEvent> {
    if (!this.channel) throw new BridgeError('NO_SENSOR', 'GT-521 module is not open');
    return this.channel;
  }
}

function commandName(code: number): string {
  const entry = Object.entries(Gt521Command).find(([, v]) => v === code);
  return entry ? entry[0] : `0x${code.toString(16)}`;
}

function nackError(command: string, param: number): BridgeError {
  return new BridgeError('INTERNAL', `GT-521 ${command} refused: ${gt521ErrorText(param)}`, { nack: param });
}
