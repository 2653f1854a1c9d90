/**
 * DigitalPersona U.are.U 4000 / 4000B / 4500 (USB). EXPERIMENTAL: written from public
 * reverse-engineering notes (libfprint's uru4000 driver) and tested only against a scripted fake
 * device; no recording of real hardware exists yet (docs/sensors.md).
 *
 * Registers are written and read with vendor control transfers; the device reports power-up and
 * finger on/off on an interrupt endpoint, which a background loop reads; the image is one bulk
 * read of a 64-byte header plus 384 x 290 inverted pixels, with blocks optionally scrambled by an
 * LFSR whose key is fetched through registers 0x33/0x34.
 * Not handled: the Microsoft-branded variants (firmware patching, AES challenge/response).
 */
import { randomInt } from 'node:crypto';
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import {
  type ControlSetup,
  parseUruFrameHeader,
  parseUruInterrupt,
  URU_4000B_PRODUCT,
  URU_DPI,
  URU_EP_DATA,
  URU_EP_INTERRUPT,
  URU_FRAME_LEN,
  URU_HEIGHT,
  URU_INTERRUPT_LEN,
  URU_USB_VENDOR,
  URU_WIDTH,
  UruMode,
  UruProtocolError,
  UruRegister,
  uruDescrambleFrame,
  uruFrameNeedsKey,
  uruFrameToImage,
  uruKeyFromRegister,
  uruKeyRequest,
  uruReadRegisters,
  uruSetMode,
  uruWriteRegisters,
} from '../../protocols/sensors/uareu4000.ts';
import { UsbTimeoutError } from '../usb/types.ts';
import { sleep } from './abort.ts';
import type { SensorDescriptor } from './types.ts';
import { UsbSensorBase } from './usb-sensor.ts';

const CONTROL_TIMEOUT_MS = 5_000;
const IMAGE_TIMEOUT_MS = 5_000;
/** the interrupt loop re-arms this often so that close() never waits long for it */
const INTERRUPT_POLL_MS = 250;
const POWER_TRIES = 100;
const POWER_STEP_MS = 10;
const SCAN_POWER_WAIT_MS = 300;
const SCAN_POWER_ATTEMPTS = 3;
/** key changes one frame may ask for before we call the frame broken */
const MAX_KEY_CHANGES = 15;

export class UareU4000Sensor extends UsbSensorBase {
  static readonly descriptor: SensorDescriptor = {
    id: 'uareu4000',
    name: 'DigitalPersona U.are.U 4000 / 4000B / 4500',
    kind: 'usb',
    usbIds: [
      { vendorId: URU_USB_VENDOR, productId: 0x0007, model: 'U.are.U 4000' },
      { vendorId: URU_USB_VENDOR, productId: 0x0008, model: 'U.are.U 4000 / 4500' },
      { vendorId: URU_USB_VENDOR, productId: URU_4000B_PRODUCT, model: 'U.are.U 4000B' },
    ],
    capabilities: { preview: false, fingerDetect: true, width: URU_WIDTH, height: URU_HEIGHT, dpi: URU_DPI },
    experimental: true,
  };
  readonly descriptor = UareU4000Sensor.descriptor;
  protected readonly interfaceNumber = 0;
  protected override pollIntervalMs = 20;

  private interrupts: Promise<void> | null = null;
  private listening = false;
  private fingerDown = false;
  private mode = -1;
  private scanPowerSeen = false;

  protected async openDevice(): Promise<void> {
    await this.openUsb();
    this.fingerDown = false;
    this.mode = -1;
    try {
      this.listening = true;
      this.interrupts = this.interruptLoop();
      await this.powerUp();
    } catch (e) {
      await this.closeDevice();
      throw e;
    }
  }

  protected override async closeDevice(): Promise<void> {
    if (this.usb && this.listening) {
      await this.writeRegisters(uruSetMode(UruMode.OFF)).catch(() => undefined);
    }
    this.listening = false;
    await this.interrupts?.catch(() => undefined);
    this.interrupts = null;
    await super.closeDevice();
  }

  protected async detectFinger(): Promise<boolean> {
    if (this.mode !== UruMode.AWAIT_FINGER_ON) await this.setMode(UruMode.AWAIT_FINGER_ON);
    return this.fingerDown;
  }

  protected async readImage(): Promise<GrayImage> {
    await this.setMode(UruMode.CAPTURE);
    const frame = await this.io('image read', (usb) =>
      usb.transferIn(URU_EP_DATA, URU_FRAME_LEN, IMAGE_TIMEOUT_MS),
    );
    try {
      const header = parseUruFrameHeader(frame);
      if (uruFrameNeedsKey(header)) await this.descramble(frame, header);
      const rotate = this.usb?.info.productId !== URU_4000B_PRODUCT;
      const image = uruFrameToImage(frame, header, rotate);
      await this.setMode(UruMode.AWAIT_FINGER_OFF);
      return image;
    } catch (e) {
      if (e instanceof UruProtocolError)
        throw new BridgeError('INTERNAL', `U.are.U: ${e.message}`, undefined, { cause: e });
      throw e;
    }
  }

  /** Fetches the scrambling key for the frame's key number (again at each key change). */
  private async descramble(frame: Uint8Array, header: ReturnType<typeof parseUruFrameHeader>): Promise<void> {
    let keyNumber = header.keyNumber;
    let fromBlock = 0;
    for (let changes = 0; changes <= MAX_KEY_CHANGES; changes++) {
      const seed = randomInt(0, 0x7fffffff);
      await this.writeRegisters(
        uruWriteRegisters(UruRegister.SCRAMBLE_DATA_INDEX, uruKeyRequest(keyNumber, seed)),
      );
      const keyBytes = await this.readRegisters(uruReadRegisters(UruRegister.SCRAMBLE_DATA_KEY, 4));
      const result = uruDescrambleFrame(frame, header, uruKeyFromRegister(keyBytes, seed), fromBlock);
      if (result.done) return;
      fromBlock = result.changeKeyAtBlock;
      keyNumber = (keyNumber + 1) & 0xff;
    }
    throw new BridgeError('INTERNAL', 'U.are.U: the frame asked for too many key changes');
  }

  /**
   * Power-up as the device expects it: clear a stuck state, power down, then power up until the
   * low-power bit clears and the "scan power on" interrupt arrives (retried: it sometimes never
   * comes).
   */
  private async powerUp(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let hwstat = (await this.readRegisters(uruReadRegisters(UruRegister.HWSTAT, 1)))[0];
      if ((hwstat & 0x84) === 0x84) hwstat = await this.rebootPower(hwstat);
      if ((hwstat & 0x80) === 0)
        await this.writeRegisters(uruWriteRegisters(UruRegister.HWSTAT, [hwstat | 0x80]));
      this.scanPowerSeen = false;
      const target = hwstat & 0x0f;
      let powered = false;
      for (let i = 0; i < POWER_TRIES && !powered; i++) {
        await this.writeRegisters(uruWriteRegisters(UruRegister.HWSTAT, [target]));
        powered = ((await this.readRegisters(uruReadRegisters(UruRegister.HWSTAT, 1)))[0] & 0x80) === 0;
        if (!powered) await sleep(POWER_STEP_MS);
      }
      if (!powered) throw new BridgeError('NO_SENSOR', 'U.are.U: the device does not power up');
      const deadline = Date.now() + SCAN_POWER_WAIT_MS;
      while (!this.scanPowerSeen && Date.now() < deadline) await sleep(POWER_STEP_MS);
      if (this.scanPowerSeen) return;
      if (attempt >= SCAN_POWER_ATTEMPTS)
        throw new BridgeError('NO_SENSOR', 'U.are.U: no scan-power interrupt after power-up');
    }
  }

  private async rebootPower(hwstat: number): Promise<number> {
    await this.writeRegisters(uruWriteRegisters(UruRegister.HWSTAT, [hwstat & 0x0f]));
    for (let i = 0; i < POWER_TRIES; i++) {
      const value = (await this.readRegisters(uruReadRegisters(UruRegister.HWSTAT, 1)))[0];
      if (value & 0x01) return value;
      await sleep(POWER_STEP_MS);
    }
    throw new BridgeError('NO_SENSOR', 'U.are.U: could not reset the device power state');
  }

  private async interruptLoop(): Promise<void> {
    while (this.listening && this.usb) {
      let message: Uint8Array;
      try {
        message = await this.io('interrupt', (usb) =>
          usb.transferIn(URU_EP_INTERRUPT, URU_INTERRUPT_LEN, INTERRUPT_POLL_MS),
        );
      } catch (e) {
        if (e instanceof BridgeError && e.code === 'TIMEOUT') continue;
        if (e instanceof UsbTimeoutError) continue;
        return; // device gone (io() already reported it) or closed
      }
      const { kind } = parseUruInterrupt(message);
      if (kind === 'scan-power-on') this.scanPowerSeen = true;
      else if (kind === 'finger-on') this.fingerDown = true;
      else if (kind === 'finger-off') this.fingerDown = false;
    }
  }

  private async setMode(mode: number): Promise<void> {
    await this.writeRegisters(uruSetMode(mode));
    this.mode = mode;
  }

  private writeRegisters(setup: ControlSetup): Promise<void> {
    return this.io('register write', (usb) =>
      usb.controlOut(
        setup.bmRequestType,
        setup.bRequest,
        setup.wValue,
        setup.wIndex,
        setup.dataOrLength as Uint8Array,
        CONTROL_TIMEOUT_MS,
      ),
    );
  }

  private readRegisters(setup: ControlSetup): Promise<Uint8Array> {
    return this.io('register read', (usb) =>
      usb.controlIn(
        setup.bmRequestType,
        setup.bRequest,
        setup.wValue,
        setup.wIndex,
        setup.dataOrLength as number,
        CONTROL_TIMEOUT_MS,
      ),
    );
  }
}
