import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const UNIT = new URL('../../systemd/ektp-bridge.service', import.meta.url).pathname;
const MAX_EXPOSURE = 2.0;

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const hasAnalyze = analyze.status === 0;
if (!hasAnalyze)
  console.warn('unit-file.test: systemd-analyze is absent (apt package systemd): exposure not checked');

/** Directives of the [Service] section, key -> values in order. */
function serviceDirectives(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  for (const raw of readFileSync(UNIT, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) section = line;
    else if (section === '[Service]') {
      const i = line.indexOf('=');
      const key = line.slice(0, i);
      out.set(key, [...(out.get(key) ?? []), line.slice(i + 1)]);
    }
  }
  return out;
}

describe('the shipped systemd unit', () => {
  it.skipIf(!hasAnalyze)(`scores at most ${MAX_EXPOSURE} in systemd-analyze security --offline=true`, () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT], {
      encoding: 'utf8',
    });
    const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  it.skipIf(!hasAnalyze)('has no key or section systemd does not know', () => {
    const r = spawnSync('systemd-analyze', ['verify', '--no-pager', UNIT], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/Unknown (key|section|lvalue)/i);
  });

  it('is a notify service with a watchdog, restart on failure and resource limits', () => {
    const d = serviceDirectives();
    expect(d.get('Type')).toEqual(['notify']);
    expect(d.get('WatchdogSec')?.[0]).toMatch(/^\d+s?$/);
    expect(d.get('Restart')).toEqual(['on-failure']);
    expect(d.get('MemoryMax')?.[0]).toBeTruthy();
    expect(d.get('LimitNOFILE')?.[0]).toBeTruthy();
    expect(d.get('ExecStart')?.[0]).toMatch(/^\/usr\/bin\/ektp-bridge serve /);
  });

  it('lets the daemon reach loopback, pcscd, udev, the USB and serial devices', () => {
    const d = serviceDirectives();
    const families = d.get('RestrictAddressFamilies')?.join(' ').split(/\s+/) ?? [];
    expect(families.sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_UNIX']);
    expect(d.get('IPAddressAllow')).toEqual(['localhost']);
    const devices = d.get('DeviceAllow')?.map((v) => v.split(/\s+/)[0]) ?? [];
    expect(devices).toEqual(
      expect.arrayContaining(['char-usb_device', 'char-hidraw', 'char-ttyUSB', 'char-ttyACM']),
    );
    expect(d.get('SupplementaryGroups')?.[0].split(/\s+/)).toEqual(
      expect.arrayContaining(['plugdev', 'dialout']),
    );
    expect(d.get('StateDirectory')).toEqual(['ektp-bridge']);
  });
});
