import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sensorDescriptors } from '../../../drivers/fingerprint/registry.ts';
import type { SensorDescriptor } from '../../../drivers/fingerprint/types.ts';
import { SENSOR_GROUP, udevRules } from '../../../drivers/fingerprint/udev-rules.ts';

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** Parsed independently of the generator: vendor:product pairs the rules give to the group 0660. */
function grantedIds(rules: string): Set<string> {
  const ids = new Set<string>();
  for (const line of rules.split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const v = /ATTRS?\{idVendor\}=="([0-9a-f]{4})"/.exec(line)?.[1];
    const p = /ATTRS?\{idProduct\}=="([0-9a-f]{4})"/.exec(line)?.[1];
    if (v && p && line.includes('MODE="0660"') && line.includes(`GROUP="${SENSOR_GROUP}"`))
      ids.add(`${v}:${p}`);
  }
  return ids;
}

function missingIds(rules: string, descriptors: readonly SensorDescriptor[]): string[] {
  const granted = grantedIds(rules);
  return descriptors
    .filter((d) => d.kind === 'usb')
    .flatMap((d) => (d.usbIds ?? []).map((u) => `${hex4(u.vendorId)}:${hex4(u.productId)}`))
    .filter((id) => !granted.has(id));
}

describe('udev rules generated from the driver registry', () => {
  it('give every registered USB sensor id to the service group', () => {
    const usb = sensorDescriptors().filter((d) => d.kind === 'usb');
    expect(usb.length).toBeGreaterThan(0);
    expect(missingIds(udevRules(), sensorDescriptors())).toEqual([]);
  });

  it('notice a driver whose id is not in the rules', () => {
    const extra: SensorDescriptor = {
      id: 'new-sensor',
      name: 'A sensor added later',
      kind: 'usb',
      usbIds: [{ vendorId: 0x1234, productId: 0xabcd }],
      capabilities: { preview: false, fingerDetect: true, width: 1, height: 1, dpi: 500 },
    };
    expect(missingIds(udevRules(), [...sensorDescriptors(), extra])).toEqual(['1234:abcd']);
    expect(missingIds(udevRules([...sensorDescriptors(), extra]), [...sensorDescriptors(), extra])).toEqual(
      [],
    );
  });

  it('are lines udev can read: comments on their own lines, key op "value" pairs otherwise', () => {
    for (const line of udevRules().split('\n')) {
      if (!line.trim() || line.startsWith('#')) continue;
      expect(line).not.toContain('#');
      for (const pair of line.split(/,\s*/))
        expect(pair).toMatch(/^[A-Z]+(\{[A-Za-z_]+\})?(==|=|\+=)"[^"]*"$/);
    }
  });

  it('name the group the systemd unit gives the service', () => {
    const unit = readFileSync(new URL('../../../systemd/ektp-bridge.service', import.meta.url), 'utf8');
    expect(/^SupplementaryGroups=(.*)$/m.exec(unit)?.[1].split(/\s+/)).toContain(SENSOR_GROUP);
  });
});
