/**
 * A simulated Grow-protocol module (R30x / ZFM-20 / AS608 / R503) on the far end of a pty: it
 * answers VfyPwd, GenImg, UpImage, SetSysPara and ReadSysPara with the real packet format
 * (protocols/sensors/grow.ts), and can be told to corrupt a checksum to exercise error paths.
 */
import {
  encodeGrowAck,
  encodeGrowDataPackets,
  encodeGrowSystemParameters,
  GROW_DEFAULT_ADDRESS,
  GROW_DEFAULT_PASSWORD,
  GROW_IMAGE_DPI,
  GROW_IMAGE_HEIGHT,
  GROW_IMAGE_WIDTH,
  GrowAck,
  GrowInstruction,
  GrowPacketReader,
  type GrowPacketSize,
  GrowPid,
  type GrowReadEvent,
  GrowSysParam,
  growPacketSizeFromCode,
  packGrowImage,
} from '../../protocols/sensors/grow.ts';
import { SerialModuleBase, type SerialModuleOptions } from './serial-module.ts';

export interface GrowModuleOptions extends SerialModuleOptions {
  packetSize?: GrowPacketSize;
  password?: number;
  address?: number;
  /** how long GenImg takes on the module (real ones: a few hundred ms) */
  genImgMs?: number;
}

export type GrowFault = 'ack' | 'data';

export class SimulatedGrowModule extends SerialModuleBase<GrowReadEvent> {
  packetSize: GrowPacketSize;
  private image: Uint8Array | null = null;
  private readonly faults: GrowFault[] = [];

  constructor(private readonly grow: GrowModuleOptions) {
    super(grow, 57_600, new GrowPacketReader());
    this.packetSize = grow.packetSize ?? 128;
  }

  private get address(): number {
    return this.grow.address ?? GROW_DEFAULT_ADDRESS;
  }

  /** the next acknowledge (or the next upload's 5th data packet) goes out with a broken checksum */
  corruptNext(fault: GrowFault): void {
    this.faults.push(fault);
  }

  protected async handle(event: GrowReadEvent): Promise<void> {
    if (event.kind === 'checksum-error') {
      await this.ack(GrowAck.RECEIVE_ERROR);
      return;
    }
    const { pid, payload } = event.packet;
    if (pid !== GrowPid.COMMAND || payload.length === 0) return;
    const instruction = payload[0];
    this.received.push(instruction);
    switch (instruction) {
      case GrowInstruction.VFY_PWD: {
        const given = new DataView(payload.buffer, payload.byteOffset + 1, 4).getUint32(0);
        await this.ack(
          given === (this.grow.password ?? GROW_DEFAULT_PASSWORD) ? GrowAck.OK : GrowAck.WRONG_PASSWORD,
        );
        return;
      }
      case GrowInstruction.GEN_IMG:
        await this.genImg();
        return;
      case GrowInstruction.UP_IMAGE:
        await this.upImage();
        return;
      case GrowInstruction.SET_SYS_PARA:
        await this.setSysPara(payload[1], payload[2]);
        return;
      case GrowInstruction.READ_SYS_PARA:
        await this.ack(
          GrowAck.OK,
          encodeGrowSystemParameters({
            statusRegister: 0,
            systemId: 0,
            librarySize: 1000,
            securityLevel: 3,
            address: this.address,
            packetSize: this.packetSize,
            baudMultiplier: Math.round(this.pacer.baudRate / 9600),
          }),
        );
        return;
      default:
        await this.ack(GrowAck.RECEIVE_ERROR);
    }
  }

  private async genImg(): Promise<void> {
    if (this.grow.genImgMs) await new Promise((r) => setTimeout(r, this.grow.genImgMs));
    const image = this.takeImage({
      width: GROW_IMAGE_WIDTH,
      height: GROW_IMAGE_HEIGHT,
      dpi: GROW_IMAGE_DPI,
      name: 'grow',
    });
    if (image === 'no-finger') {
      await this.ack(GrowAck.NO_FINGER);
      return;
    }
    this.image = packGrowImage(image.pixels);
    await this.ack(GrowAck.OK);
  }

  private async upImage(): Promise<void> {
    const image = this.image;
    if (!image) {
      await this.ack(GrowAck.UPLOAD_FAILED);
      return;
    }
    await this.ack(GrowAck.OK);
    const packets = encodeGrowDataPackets(image, this.packetSize, this.address);
    if (this.takeFault('data')) {
      const broken = packets[Math.min(4, packets.length - 1)];
      broken[broken.length - 1] ^= 0x5a;
    }
    for (const packet of packets) await this.send(packet);
  }

  private async setSysPara(register: number, value: number): Promise<void> {
    if (register === GrowSysParam.PACKET_SIZE && value <= 3) {
      this.packetSize = growPacketSizeFromCode(value);
      await this.ack(GrowAck.OK);
    } else if (register === GrowSysParam.BAUD && value >= 1 && value <= 12) {
      await this.ack(GrowAck.OK);
      this.pacer.baudRate = 9600 * value; // the reply still goes out at the old rate
    } else {
      await this.ack(0x1a); // "invalid register number"
    }
  }

  private async ack(code: number, data: ArrayLike<number> = []): Promise<void> {
    const bytes = encodeGrowAck(code, data, this.address);
    if (this.takeFault('ack')) bytes[bytes.length - 1] ^= 0x5a;
    await this.send(bytes);
  }

  private takeFault(kind: GrowFault): boolean {
    const i = this.faults.indexOf(kind);
    if (i < 0) return false;
    this.faults.splice(i, 1);
    return true;
  }
}
