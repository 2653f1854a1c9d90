/**
 * What the USB drivers share: finding their device by USB id (no configuration needed), opening
 * it through the UsbBus (libusb by default, replaceable in tests), noticing the unplug through
 * hotplug or a failed transfer, and turning transport failures into the error vocabulary.
 */
import { BridgeError } from '../../protocols/errors.ts';
import { libusbBus } from '../usb/libusb-bus.ts';
import {
  sameUsbDevice,
  type UsbBus,
  UsbDeviceGoneError,
  type UsbDeviceInfo,
  UsbTimeoutError,
  type UsbTransport,
} from '../usb/types.ts';
import { SensorBase } from './sensor-base.ts';
import type { SensorDeps, SensorDescriptor, UsbSensorConfig } from './types.ts';

export function matchesDescriptor(descriptor: SensorDescriptor, device: UsbDeviceInfo): boolean {
  return (descriptor.usbIds ?? []).some(
    (id) => id.vendorId === device.vendorId && id.productId === device.productId,
  );
}

export abstract class UsbSensorBase extends SensorBase {
  protected usb: UsbTransport | null = null;
  private stopWatching: (() => void) | null = null;

  private readonly bus: UsbBus;

  constructor(
    protected readonly config: UsbSensorConfig,
    deps: SensorDeps = {},
  ) {
    super();
    this.bus = deps.usbBus ?? libusbBus();
  }

  /** the USB interface the driver claims */
  protected abstract readonly interfaceNumber: number;

  protected async openUsb(): Promise<UsbTransport> {
    const candidates = this.bus
      .list()
      .filter((d) => matchesDescriptor(this.descriptor, d))
      .filter((d) => this.config.busNumber === undefined || d.busNumber === this.config.busNumber)
      .filter(
        (d) => this.config.deviceAddress === undefined || d.deviceAddress === this.config.deviceAddress,
      );
    const device = candidates[0];
    if (!device) throw new BridgeError('NO_SENSOR', `no ${this.descriptor.name} is connected`);
    const transport = await this.bus.open(device, this.interfaceNumber);
    this.usb = transport;
    try {
      this.stopWatching = this.bus.watch(
        () => undefined,
        (gone) => {
          if (sameUsbDevice(gone, device)) this.markRemoved();
        },
      );
    } catch {
      // Hotplug is unavailable on this platform: a failed transfer still reports the unplug.
      this.stopWatching = null;
    }
    return transport;
  }

  protected async closeDevice(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = null;
    const transport = this.usb;
    this.usb = null;
    await transport?.close();
  }

  /** the USB serial number string of the open device, when it has one (receipts name it) */
  get serialNumber(): string | undefined {
    return this.usb?.serialNumber;
  }

  protected requireUsb(): UsbTransport {
    if (!this.usb) throw new BridgeError('NO_SENSOR', `${this.descriptor.name} is not open`);
    return this.usb;
  }

  /** Runs one transfer step, mapping "device gone" to SENSOR_REMOVED and timeouts to TIMEOUT. */
  protected async io<T>(what: string, step: (usb: UsbTransport) => Promise<T>): Promise<T> {
    try {
      return await step(this.requireUsb());
    } catch (e) {
      if (e instanceof UsbDeviceGoneError) {
        this.markRemoved();
        throw new BridgeError('SENSOR_REMOVED', undefined, undefined, { cause: e });
      }
      if (e instanceof UsbTimeoutError) {
        throw new BridgeError('TIMEOUT', `${this.descriptor.name}: ${what} timed out`, undefined, {
          cause: e,
        });
      }
      throw e;
    }
  }
}
