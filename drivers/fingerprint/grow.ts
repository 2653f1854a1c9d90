/**
 * Grow-protocol UART modules (R30x, ZFM-20, AS608, R503). Finger detection is GenImg (the module
 * captures into its image buffer; "no finger" is an answer), the image comes with UpImage as
 * unacknowledged data packets of 4-bit pixels. Packet format: protocols/sensors/grow.ts.
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import {
  encodeGrowCommand,
  GROW_DEFAULT_ADDRESS,
  GROW_DEFAULT_PASSWORD,
  GROW_IMAGE_DPI,
  GROW_IMAGE_HEIGHT,
  GROW_IMAGE_WIDTH,
  GrowAck,
  GrowInstruction,
  GrowPacketReader,
  type GrowPacketSize,
  type GrowReadEvent,
  GrowSysParam,
  GrowUploadAssembler,
  growAckText,
  growPacketSizeCode,
  growSetSysParam,
  growVerifyPassword,
  parseGrowAck,
  unpackGrowImage,
} from '../../protocols/sensors/grow.ts';
import { PacketChannel } from '../serial/packet-channel.ts';
import { SerialSensorBase } from './serial-sensor.ts';
import type { SensorDescriptor } from './types.ts';

/** a module answers a plain command within a few hundred ms; GenImg takes up to ~1 s */
const REPLY_TIMEOUT_MS = 2_000;
/** how long a module may stay silent in the middle of an upload */
const UPLOAD_SILENCE_MS = 2_000;
/** after a broken data packet, wait this long for the rest of the upload to pass */
const DRAIN_SILENCE_MS = 300;

export class GrowSensor extends SerialSensorBase {
  static readonly descriptor: SensorDescriptor = {
    id: 'grow',
    name: 'Grow protocol module (R30x, ZFM-20, AS608, R503)',
    kind: 'serial',
    serial: { baudRate: 57_600 },
    capabilities: {
      preview: false,
      fingerDetect: false,
      width: GROW_IMAGE_WIDTH,
      height: GROW_IMAGE_HEIGHT,
      dpi: GROW_IMAGE_DPI,
    },
  };
  readonly descriptor = GrowSensor.descriptor;
  /** GenImg itself takes a moment on a module; the short pause only spares a quick one */
  protected override pollIntervalMs = 20;
  private channel: PacketChannel<GrowReadEvent> | null = null;

  private get address(): number {
    return this.option('address', GROW_DEFAULT_ADDRESS);
  }

  protected async openDevice(): Promise<void> {
    const transport = await this.openPort(this.config.baudRate ?? GrowSensor.descriptor.serial!.baudRate);
    this.channel = new PacketChannel(transport, new GrowPacketReader());
    try {
      const reply = await this.command(
        growVerifyPassword(this.option('password', GROW_DEFAULT_PASSWORD), this.address),
      );
      if (reply.code !== GrowAck.OK) {
        throw new BridgeError('NO_SENSOR', `Grow module refused the password: ${growAckText(reply.code)}`);
      }
      const packetSize = this.option<GrowPacketSize | undefined>('packetSize', undefined);
      if (packetSize !== undefined) {
        const set = await this.command(
          growSetSysParam(GrowSysParam.PACKET_SIZE, growPacketSizeCode(packetSize), this.address),
        );
        if (set.code !== GrowAck.OK)
          throw new BridgeError('INTERNAL', `Grow SetSysPara failed: ${growAckText(set.code)}`);
      }
    } catch (e) {
      await this.closeDevice();
      if (e instanceof BridgeError && e.code === 'TIMEOUT') {
        throw new BridgeError('NO_SENSOR', `no Grow module answers on ${this.config.path}`, undefined, {
          cause: e,
        });
      }
      throw e;
    }
  }

  protected async detectFinger(signal?: AbortSignal): Promise<boolean> {
    const reply = await this.command(encodeGrowCommand(GrowInstruction.GEN_IMG, [], this.address), signal);
    if (reply.code === GrowAck.OK) return true;
    // "capture failed" happens while a finger is being put down: look again.
    if (reply.code === GrowAck.NO_FINGER || reply.code === GrowAck.CAPTURE_FAILED) return false;
    throw new BridgeError('INTERNAL', `Grow GenImg failed: ${growAckText(reply.code)}`);
  }

  protected async readImage(signal?: AbortSignal): Promise<GrayImage> {
    const reply = await this.command(encodeGrowCommand(GrowInstruction.UP_IMAGE, [], this.address), signal);
    if (reply.code !== GrowAck.OK)
      throw new BridgeError('INTERNAL', `Grow UpImage refused: ${growAckText(reply.code)}`);
    const assembler = new GrowUploadAssembler();
    const channel = this.requireChannel();
    for (let packetNo = 0; ; packetNo++) {
      const event = await channel.receive(UPLOAD_SILENCE_MS, signal);
      if (event.kind === 'checksum-error') {
        await this.drainUpload(signal);
        throw new BridgeError(
          'INTERNAL',
          `Grow image upload: data packet ${packetNo} has a bad checksum (0x${event.received.toString(16)}, computed 0x${event.expected.toString(16)})`,
        );
      }
      if (assembler.accept(event.packet)) break;
    }
    const pixels = unpackGrowImage(assembler.bytes());
    return { width: GROW_IMAGE_WIDTH, height: GROW_IMAGE_HEIGHT, dpi: GROW_IMAGE_DPI, pixels };
  }

  /** Sends one command packet and returns its acknowledge. */
  private async command(
    bytes: Uint8Array,
    signal?: AbortSignal,
  ): Promise<{ code: number; data: Uint8Array }> {
    const channel = this.requireChannel();
    await channel.send(bytes);
    const event = await channel.receive(REPLY_TIMEOUT_MS, signal);
    if (event.kind === 'checksum-error') {
      throw new BridgeError(
        'INTERNAL',
        `Grow acknowledge has a bad checksum (0x${event.received.toString(16)}, computed 0x${event.expected.toString(16)})`,
      );
    }
    return parseGrowAck(event.packet);
  }

  /** Lets the rest of a broken upload pass so the next command starts on a quiet line. */
  private async drainUpload(signal?: AbortSignal): Promise<void> {
    const channel = this.requireChannel();
    for (;;) {
      try {
        const event = await channel.receive(DRAIN_SILENCE_MS, signal);
        if (event.kind === 'packet' && event.packet.pid === 0x08) return;
      } catch (e) {
        if (e instanceof BridgeError && e.code === 'TIMEOUT') return;
        throw e;
      }
    }
  }

  protected override async closeDevice(): Promise<void> {
    this.channel = null;
    await super.closeDevice();
  }

  private requireChannel(): PacketChannel<GrowReadEvent> {
    if (!this.channel) throw new BridgeError('NO_SENSOR', 'Grow module is not open');
    return this.channel;
  }
}
