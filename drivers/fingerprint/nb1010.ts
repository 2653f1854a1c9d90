/**
 * NEXT Biometrics NB-1010-U (USB press sensor, 256 x 180 at 385 dpi). Finger check is a command
 * with a level in its reply; the image comes after pre-capture and capture commands as 90 bulk
 * reads of two lines each. Bytes and checks: protocols/sensors/nb1010.ts. Verified against the
 * libfprint recording of a real device (test/integration/sensors/nb1010-replay.test.ts).
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import {
  checkNb1010Reply,
  NB1010_CAPTURE,
  NB1010_CHECK_FINGER,
  NB1010_DPI,
  NB1010_EP_IN,
  NB1010_EP_OUT,
  NB1010_HEIGHT,
  NB1010_INTERFACE,
  NB1010_PARTIAL_LEN,
  NB1010_POLL_INTERVAL_MS,
  NB1010_PRE_CAPTURE,
  NB1010_REPLY_LEN,
  NB1010_REPLY_TIMEOUT_MS,
  NB1010_USB_PRODUCT,
  NB1010_USB_VENDOR,
  NB1010_WIDTH,
  Nb1010ImageAssembler,
  Nb1010ProtocolError,
  nb1010FingerPresent,
} from '../../protocols/sensors/nb1010.ts';
import { sleep, throwIfAborted } from './abort.ts';
import type { SensorDescriptor } from './types.ts';
import { UsbSensorBase } from './usb-sensor.ts';

/** the device needs a moment between the capture command and the first image line */
const CAPTURE_SETTLE_MS = 50;

export class Nb1010Sensor extends UsbSensorBase {
  static readonly descriptor: SensorDescriptor = {
    id: 'nb1010',
    name: 'NEXT Biometrics NB-1010-U',
    kind: 'usb',
    usbIds: [{ vendorId: NB1010_USB_VENDOR, productId: NB1010_USB_PRODUCT }],
    capabilities: {
      preview: false,
      fingerDetect: true,
      width: NB1010_WIDTH,
      height: NB1010_HEIGHT,
      dpi: NB1010_DPI,
    },
  };
  readonly descriptor = Nb1010Sensor.descriptor;
  protected readonly interfaceNumber = NB1010_INTERFACE;
  protected override pollIntervalMs = NB1010_POLL_INTERVAL_MS;

  protected async openDevice(): Promise<void> {
    await this.openUsb();
  }

  protected async detectFinger(): Promise<boolean> {
    const reply = await this.exchange(NB1010_CHECK_FINGER);
    return this.protocol(() => nb1010FingerPresent(reply));
  }

  protected async readImage(signal?: AbortSignal): Promise<GrayImage> {
    await this.exchange(NB1010_PRE_CAPTURE);
    await this.exchange(NB1010_CAPTURE);
    await sleep(CAPTURE_SETTLE_MS, signal);
    const assembler = new Nb1010ImageAssembler();
    while (!assembler.complete) {
      // Cancellation between reads only: the device has to send the whole image anyway.
      throwIfAborted(signal);
      const partial = await this.io('image read', (usb) =>
        usb.transferIn(NB1010_EP_IN, NB1010_PARTIAL_LEN, NB1010_REPLY_TIMEOUT_MS),
      );
      this.protocol(() => assembler.accept(partial));
    }
    const image = assembler.image();
    return { width: image.width, height: image.height, dpi: image.dpi, pixels: image.pixels };
  }

  /** one command and its 16-byte reply; replies to capture commands carry nothing we need */
  private async exchange(command: Uint8Array): Promise<Uint8Array> {
    await this.io('command', (usb) => usb.transferOut(NB1010_EP_OUT, command, NB1010_REPLY_TIMEOUT_MS));
    const reply = await this.io('reply', (usb) =>
      usb.transferIn(NB1010_EP_IN, NB1010_REPLY_LEN, NB1010_REPLY_TIMEOUT_MS),
    );
    return this.protocol(() => checkNb1010Reply(command, reply));
  }

  private protocol<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      if (e instanceof Nb1010ProtocolError)
        throw new BridgeError('INTERNAL', `NB-1010: ${e.message}`, undefined, { cause: e });
      throw e;
    }
  }
}
