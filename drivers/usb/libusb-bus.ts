/**
 * UsbBus over npm `usb` 2.x (libusb). Version 2 matters: usb 3.x talks to the kernel without
 * libusb and bypasses umockdev, so recorded replays would not reach it.
 */
import { type Device, type Endpoint, type InEndpoint, type Interface, type OutEndpoint, usb } from 'usb';
import { BridgeError } from '../../protocols/errors.ts';
import { usbSerialFromSysfs } from './sysfs-serial.ts';
import {
  type UsbBus,
  UsbDeviceGoneError,
  type UsbDeviceInfo,
  UsbTimeoutError,
  type UsbTransport,
} from './types.ts';

function infoOf(device: Device): UsbDeviceInfo {
  return {
    vendorId: device.deviceDescriptor.idVendor,
    productId: device.deviceDescriptor.idProduct,
    busNumber: device.busNumber,
    deviceAddress: device.deviceAddress,
  };
}

/**
 * libusb reports two kinds of numbers: negative LIBUSB_ERROR_* when a call fails (submit, control)
 * and positive LIBUSB_TRANSFER_* statuses when an asynchronous transfer completes badly. On Linux
 * an unplug shows as NO_DEVICE, or as a generic I/O error / transfer error.
 */
function translate(error: unknown): Error {
  const errno = (error as { errno?: number }).errno;
  if (
    errno === usb.LIBUSB_ERROR_NO_DEVICE ||
    errno === usb.LIBUSB_ERROR_IO ||
    errno === usb.LIBUSB_TRANSFER_NO_DEVICE ||
    errno === usb.LIBUSB_TRANSFER_ERROR
  ) {
    return new UsbDeviceGoneError(String((error as Error).message ?? error));
  }
  if (errno === usb.LIBUSB_ERROR_TIMEOUT || errno === usb.LIBUSB_TRANSFER_TIMED_OUT) {
    return new UsbTimeoutError(String((error as Error).message ?? error));
  }
  return error instanceof Error ? error : new Error(String(error));
}

class LibusbTransport implements UsbTransport {
  readonly info: UsbDeviceInfo;
  readonly serialNumber?: string;

  constructor(
    private readonly device: Device,
    private readonly iface: Interface,
  ) {
    this.info = infoOf(device);
    this.serialNumber = usbSerialFromSysfs(device.busNumber, device.deviceAddress);
  }

  private endpoint(address: number): Endpoint {
    const ep = this.iface.endpoint(address);
    if (!ep)
      throw new Error(`endpoint 0x${address.toString(16)} not on interface ${this.iface.interfaceNumber}`);
    return ep;
  }

  transferIn(endpoint: number, length: number, timeoutMs: number): Promise<Uint8Array> {
    const ep = this.endpoint(endpoint) as InEndpoint;
    ep.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      ep.transfer(length, (err, data) =>
        err ? reject(translate(err)) : resolve(new Uint8Array(data ?? [])),
      );
    });
  }

  transferOut(endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void> {
    const ep = this.endpoint(endpoint) as OutEndpoint;
    ep.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      ep.transfer(Buffer.from(data), (err) => (err ? reject(translate(err)) : resolve()));
    });
  }

  controlIn(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    length: number,
    timeoutMs: number,
  ): Promise<Uint8Array> {
    this.device.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      this.device.controlTransfer(bmRequestType, bRequest, wValue, wIndex, length, (err, buf) =>
        err ? reject(translate(err)) : resolve(new Uint8Array(buf as Buffer)),
      );
    });
  }

  controlOut(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    data: Uint8Array,
    timeoutMs: number,
  ): Promise<void> {
    this.device.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      this.device.controlTransfer(bmRequestType, bRequest, wValue, wIndex, Buffer.from(data), (err) =>
        err ? reject(translate(err)) : resolve(),
      );
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.iface.release((err) => {
        void err; // released or already gone: either way the handle is closed next
        try {
          this.device.close();
        } catch {
          // the device was unplugged: nothing left to close
        }
        resolve();
      });
    });
  }
}

export class LibusbBus implements UsbBus {
  list(): UsbDeviceInfo[] {
    return usb.getDeviceList().map(infoOf);
  }

  async open(target: UsbDeviceInfo, interfaceNumber: number): Promise<UsbTransport> {
    const device = usb
      .getDeviceList()
      .find((d) => d.busNumber === target.busNumber && d.deviceAddress === target.deviceAddress);
    if (!device)
      throw new BridgeError(
        'NO_SENSOR',
        `USB device ${target.busNumber}:${target.deviceAddress} is not connected`,
      );
    try {
      device.open();
      const iface = device.interface(interfaceNumber);
      try {
        if (iface.isKernelDriverActive()) iface.detachKernelDriver();
      } catch {
        // not supported here (umockdev, some platforms): claiming tells us if it matters
      }
      iface.claim();
      return new LibusbTransport(device, iface);
    } catch (e) {
      try {
        device.close();
      } catch {
        // not opened
      }
      throw new BridgeError(
        'NO_SENSOR',
        `cannot open USB device ${target.busNumber}:${target.deviceAddress}`,
        undefined,
        {
          cause: e,
        },
      );
    }
  }

  watch(onAttach: (device: UsbDeviceInfo) => void, onDetach: (device: UsbDeviceInfo) => void): () => void {
    const attach = (d: Device) => onAttach(infoOf(d));
    const detach = (d: Device) => onDetach(infoOf(d));
    usb.on('attach', attach);
    usb.on('detach', detach);
    // Hotplug must not keep the daemon (or a CLI run) alive on its own.
    usb.unrefHotplugEvents();
    return () => {
      usb.off('attach', attach);
      usb.off('detach', detach);
    };
  }
}

let defaultBus: UsbBus | null = null;

/** the process-wide libusb bus (created on first use so that serial-only setups never load it) */
export function libusbBus(): UsbBus {
  defaultBus ??= new LibusbBus();
  return defaultBus;
}
