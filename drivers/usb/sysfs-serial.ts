import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYSFS_USB = '/sys/bus/usb/devices';

/**
 * The serial number string of a USB device as the Linux kernel read it at enumeration
 * (/sys/bus/usb/devices/<port>/serial), found by bus number and address. Read from sysfs rather
 * than asked of the device, so it costs no USB traffic (a replayed or busy device is not disturbed).
 * Undefined when the device has none or sysfs is not there.
 */
export function usbSerialFromSysfs(
  busNumber: number,
  deviceAddress: number,
  root = SYSFS_USB,
): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return undefined;
  }
  for (const name of entries) {
    if (name.includes(':')) continue; // interfaces, not devices
    const read = (file: string) => {
      try {
        return readFileSync(join(root, name, file), 'utf8').trim();
      } catch {
        return undefined;
      }
    };
    if (Number(read('busnum')) !== busNumber || Number(read('devnum')) !== deviceAddress) continue;
    const serial = read('serial');
    return serial ? serial.slice(0, 128) : undefined;
  }
  return undefined;
}
