/**
 * A simulated GT-521F32/F52 on the far end of a pty: Open (with device info), Close,
 * ChangeBaudRate (the ACK leaves at the old rate, then the timing model switches), CmosLed,
 * IsPressFinger, CaptureFinger and GetImage (258 x 202) with the real packet format
 * (protocols/sensors/gt521.ts), NACKs as the module gives them, and checksum faults on request.
 */
import {
  encodeGt521Data,
  encodeGt521DeviceInfo,
  encodeGt521Response,
  GT521_BAUD_RATES,
  GT521_BOOT_BAUD,
  GT521_IMAGE_DPI,
  GT521_IMAGE_HEIGHT,
  GT521_IMAGE_WIDTH,
  Gt521Command,
  Gt521Error,
  type Gt521ReadEvent,
  Gt521Reader,
} from '../../protocols/sensors/gt521.ts';
import { SerialModuleBase, type SerialModuleOptions } from './serial-module.ts';

export type Gt521Fault = 'response' | 'data';

/** a fixed firmware version the simulator reports (2013-07-21 style date code) */
const FIRMWARE_VERSION = 0x20130721;

export class SimulatedGt521Module extends SerialModuleBase<Gt521ReadEvent> {
  ledOn = false;
  private image: Uint8Array | null = null;
  private readonly faults: Gt521Fault[] = [];

  constructor(options: SerialModuleOptions) {
    super(options, GT521_BOOT_BAUD, new Gt521Reader());
  }

  get baudRate(): number {
    return this.pacer.baudRate;
  }

  corruptNext(fault: Gt521Fault): void {
    this.faults.push(fault);
  }

  protected async handle(event: Gt521ReadEvent): Promise<void> {
    if (event.kind === 'checksum-error') {
      await this.respond(false, Gt521Error.COMM_ERR);
      return;
    }
    if (event.kind !== 'packet') return;
    const { code, param } = event.packet;
    this.received.push(code);
    switch (code) {
      case Gt521Command.OPEN:
        await this.respond(true);
        if (param !== 0) {
          const serialNumber = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
          await this.data(
            encodeGt521DeviceInfo({
              firmwareVersion: FIRMWARE_VERSION,
              isoAreaMaxSize: 0x3c00,
              serialNumber,
            }),
          );
        }
        return;
      case Gt521Command.CLOSE:
        await this.respond(true);
        return;
      case Gt521Command.CHANGE_BAUD_RATE:
        if (!(GT521_BAUD_RATES as readonly number[]).includes(param)) {
          await this.respond(false, Gt521Error.INVALID_BAUDRATE);
          return;
        }
        await this.respond(true);
        this.pacer.baudRate = param;
        return;
      case Gt521Command.CMOS_LED:
        this.ledOn = param !== 0;
        await this.respond(true);
        return;
      case Gt521Command.IS_PRESS_FINGER:
        // An optical module sees nothing with its LED off.
        await this.respond(true, this.ledOn && this.options.control.state !== 'none' ? 0 : 1);
        return;
      case Gt521Command.CAPTURE_FINGER:
        await this.capture();
        return;
      case Gt521Command.GET_IMAGE:
        if (!this.image) {
          await this.respond(false, Gt521Error.DEV_ERR);
          return;
        }
        await this.respond(true);
        await this.data(this.image);
        return;
      default:
        await this.respond(false, Gt521Error.IS_NOT_SUPPORTED);
    }
  }

  private async capture(): Promise<void> {
    const image = this.ledOn
      ? this.takeImage({
          width: GT521_IMAGE_WIDTH,
          height: GT521_IMAGE_HEIGHT,
          dpi: GT521_IMAGE_DPI,
          name: 'gt521',
        })
      : 'no-finger';
    if (image === 'no-finger') {
      await this.respond(false, Gt521Error.FINGER_IS_NOT_PRESSED);
      return;
    }
    this.image = image.pixels;
    await this.respond(true);
  }

  private async respond(ok: boolean, param = 0): Promise<void> {
    const bytes = encodeGt521Response(ok, param);
    if (this.takeFault('response')) bytes[11] ^= 0x5a;
    await this.send(bytes);
  }

  private async data(payload: Uint8Array): Promise<void> {
    const bytes = encodeGt521Data(payload);
    if (this.takeFault('data')) bytes[bytes.length - 2] ^= 0x5a;
    await this.send(bytes);
  }

  private takeFault(kind: Gt521Fault): boolean {
    const i = this.faults.indexOf(kind);
    if (i < 0) return false;
    this.faults.splice(i, 1);
    return true;
  }
}
