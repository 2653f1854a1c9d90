/**
 * The USB transport seam: transfers on one claimed interface, and a bus to list, open and watch
 * devices. The usb@2 (libusb) adapter implements it for real devices and for umockdev replays;
 * nothing here knows a sensor.
 */

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  busNumber: number;
  deviceAddress: number;
}

export interface UsbTransport {
  readonly info: UsbDeviceInfo;
  /** the device's serial number string, when it has one and the bus can tell */
  readonly serialNumber?: string;
  /**
   * IN transfer of up to `length` bytes. The endpoint's own type (bulk or interrupt, from its
   * descriptor) is used: umockdev replays and some devices reject the other kind.
   */
  transferIn(endpoint: number, length: number, timeoutMs: number): Promise<Uint8Array>;
  transferOut(endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void>;
  controlIn(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    length: number,
    timeoutMs: number,
  ): Promise<Uint8Array>;
  controlOut(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    data: Uint8Array,
    timeoutMs: number,
  ): Promise<void>;
  /** releases the interface and closes the device; safe when the device is gone */
  close(): Promise<void>;
}

export interface UsbBus {
  list(): UsbDeviceInfo[];
  /** opens the device and claims `interfaceNumber`; rejects with NO_SENSOR when it is absent */
  open(device: UsbDeviceInfo, interfaceNumber: number): Promise<UsbTransport>;
  /** hotplug: calls back on attach and detach; returns a function that stops watching */
  watch(onAttach: (device: UsbDeviceInfo) => void, onDetach: (device: UsbDeviceInfo) => void): () => void;
}

export function sameUsbDevice(a: UsbDeviceInfo, b: UsbDeviceInfo): boolean {
  return a.busNumber === b.busNumber && a.deviceAddress === b.deviceAddress;
}

/** a transfer failed because the device is no longer there (LIBUSB_ERROR_NO_DEVICE / IO on unplug) */
export class UsbDeviceGoneError extends Error {
  override name = 'UsbDeviceGoneError';
}

export class UsbTimeoutError extends Error {
  override name = 'UsbTimeoutError';
}
