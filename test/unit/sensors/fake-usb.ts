/**
 * An in-memory UsbBus for driver tests: scripted devices that record every transfer, hotplug
 * events on demand, and "unplug" that makes every later transfer fail as libusb does.
 */
import {
  type UsbBus,
  UsbDeviceGoneError,
  type UsbDeviceInfo,
  UsbTimeoutError,
  type UsbTransport,
} from '../../../drivers/usb/types.ts';

export type TransferRecord =
  | { kind: 'in'; endpoint: number; length: number }
  | { kind: 'out'; endpoint: number; data: string }
  | {
      kind: 'control-in';
      bmRequestType: number;
      bRequest: number;
      wValue: number;
      wIndex: number;
      length: number;
    }
  | {
      kind: 'control-out';
      bmRequestType: number;
      bRequest: number;
      wValue: number;
      wIndex: number;
      data: string;
    };

export interface FakeDeviceBehaviour {
  /** return the bytes, or null to time out */
  transferIn(endpoint: number, length: number): Uint8Array | null | Promise<Uint8Array | null>;
  transferOut(endpoint: number, data: Uint8Array): void;
  controlIn(wValue: number, length: number): Uint8Array;
  controlOut(wValue: number, data: Uint8Array): void;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export class FakeUsbDevice {
  readonly log: TransferRecord[] = [];
  unplugged = false;
  claimed = false;

  constructor(
    readonly info: UsbDeviceInfo,
    readonly behaviour: FakeDeviceBehaviour,
  ) {}

  transport(): UsbTransport {
    const guard = () => {
      if (this.unplugged) throw new UsbDeviceGoneError('LIBUSB_ERROR_NO_DEVICE');
    };
    return {
      info: this.info,
      transferIn: async (endpoint, length, timeoutMs) => {
        guard();
        this.log.push({ kind: 'in', endpoint, length });
        const data = await this.behaviour.transferIn(endpoint, length);
        guard();
        if (data === null) {
          await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 20)));
          guard();
          throw new UsbTimeoutError('LIBUSB_ERROR_TIMEOUT');
        }
        return data.subarray(0, length);
      },
      transferOut: async (endpoint, data) => {
        guard();
        this.log.push({ kind: 'out', endpoint, data: hex(data) });
        this.behaviour.transferOut(endpoint, data);
      },
      controlIn: async (bmRequestType, bRequest, wValue, wIndex, length) => {
        guard();
        this.log.push({ kind: 'control-in', bmRequestType, bRequest, wValue, wIndex, length });
        return this.behaviour.controlIn(wValue, length);
      },
      controlOut: async (bmRequestType, bRequest, wValue, wIndex, data) => {
        guard();
        this.log.push({ kind: 'control-out', bmRequestType, bRequest, wValue, wIndex, data: hex(data) });
        this.behaviour.controlOut(wValue, data);
      },
      close: async () => {
        this.claimed = false;
      },
    };
  }
}

export class FakeUsbBus implements UsbBus {
  readonly devices: FakeUsbDevice[] = [];
  private readonly watchers = new Set<{
    attach: (d: UsbDeviceInfo) => void;
    detach: (d: UsbDeviceInfo) => void;
  }>();

  list(): UsbDeviceInfo[] {
    return this.devices.filter((d) => !d.unplugged).map((d) => d.info);
  }

  async open(target: UsbDeviceInfo): Promise<UsbTransport> {
    const device = this.devices.find(
      (d) =>
        !d.unplugged &&
        d.info.busNumber === target.busNumber &&
        d.info.deviceAddress === target.deviceAddress,
    );
    if (!device) throw new Error('no such device');
    device.claimed = true;
    return device.transport();
  }

  watch(onAttach: (d: UsbDeviceInfo) => void, onDetach: (d: UsbDeviceInfo) => void): () => void {
    const w = { attach: onAttach, detach: onDetach };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  plug(device: FakeUsbDevice): FakeUsbDevice {
    this.devices.push(device);
    for (const w of this.watchers) w.attach(device.info);
    return device;
  }

  unplug(device: FakeUsbDevice): void {
    device.unplugged = true;
    for (const w of [...this.watchers]) w.detach(device.info);
  }
}
