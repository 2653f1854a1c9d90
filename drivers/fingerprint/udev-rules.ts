/**
 * The udev rules the package installs (/usr/lib/udev/rules.d/70-ektp-bridge.rules), made from the
 * driver registry at build time so that a driver added to SENSOR_DRIVERS is reachable by the service
 * user without anyone editing a rules file. Serial modules need no rule: they sit behind USB-UART
 * bridges whose ttyUSB/ttyACM nodes Debian already gives to the dialout group.
 */
import { sensorDescriptors } from './registry.ts';
import type { SensorDescriptor } from './types.ts';

/** The group that owns the sensors' USB device nodes; the service user is a member. */
export const SENSOR_GROUP = 'plugdev';

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export function udevRules(descriptors: readonly SensorDescriptor[] = sensorDescriptors()): string {
  const lines = [
    '# Fingerprint sensors driven by ektp-bridge directly (no vendor SDK): the service user reaches',
    `# them through the ${SENSOR_GROUP} group. Generated from drivers/fingerprint/registry.ts when the`,
    '# package is built: do not edit here, add the driver to the registry.',
    '# Serial modules (Grow R30x/AS608, GT-521Fxx) sit behind USB-UART bridges: the dialout group',
    '# covers ttyUSB*/ttyACM*.',
  ];
  for (const d of descriptors) {
    if (d.kind !== 'usb' || !d.usbIds?.length) continue;
    lines.push(`# ${d.name} (driver "${d.id}"${d.experimental ? ', experimental' : ''})`);
    for (const u of d.usbIds) {
      // udev reads comments only on lines of their own
      if (u.model) lines.push(`#   ${u.model}`);
      lines.push(
        `SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="${hex4(u.vendorId)}", ` +
          `ATTR{idProduct}=="${hex4(u.productId)}", MODE="0660", GROUP="${SENSOR_GROUP}"`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
