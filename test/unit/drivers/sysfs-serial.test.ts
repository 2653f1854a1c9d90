import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { usbSerialFromSysfs } from '../../../drivers/usb/sysfs-serial.ts';

describe('USB serial numbers from sysfs (receipts name the sensor by them)', () => {
  const root = mkdtempSync(join(tmpdir(), 'sysfs-usb-'));
  const device = (name: string, bus: number, dev: number, serial?: string) => {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'busnum'), `${bus}\n`);
    writeFileSync(join(root, name, 'devnum'), `${dev}\n`);
    if (serial !== undefined) writeFileSync(join(root, name, 'serial'), `${serial}\n`);
  };
  device('usb1', 1, 1, '0000:00:14.0');
  device('1-4', 1, 4, 'NB1010-00A7');
  device('1-4:1.0', 1, 4, 'an interface, not a device');
  device('2-1', 2, 3);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the device by bus and address and reads its serial', () => {
    expect(usbSerialFromSysfs(1, 4, root)).toBe('NB1010-00A7');
  });

  it('is undefined for a device without serial, an unknown device, or no sysfs', () => {
    expect(usbSerialFromSysfs(2, 3, root)).toBeUndefined();
    expect(usbSerialFromSysfs(9, 9, root)).toBeUndefined();
    expect(usbSerialFromSysfs(1, 4, join(root, 'missing'))).toBeUndefined();
  });
});
