/**
 * Replays a real NB-1010-U capture (libfprint's recording, in ../shared/fixtures) through the real
 * driver, usb@2 and libusb under umockdev, and checks the image against the one libfprint decoded
 * from the same transfers. umockdev fails the transfer if the driver's bytes or transfer types
 * differ from the recording, so a pass also proves the command sequence.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { NB1010_FIXTURE_DIR, REPO_ROOT } from '../../shared-data.ts';

const fixture = NB1010_FIXTURE_DIR;
const umockdev = ['/usr/bin/umockdev-run', '/usr/local/bin/umockdev-run'].find((p) => existsSync(p));
const haveFixture = existsSync(path.join(fixture, 'capture.ioctl'));
const ready = haveFixture && umockdev !== undefined;
if (!ready) {
  console.warn(
    `nb1010 replay skipped: ${!haveFixture ? `recording not found at ${fixture}` : 'umockdev-run is not installed (apt-get install umockdev)'}`,
  );
}

/** the bus path the recording was made on, from its device description */
function recordedDevnode(): string {
  const match = /^E: DEVNAME=(\/dev\/bus\/usb\/\d+\/\d+)$/m.exec(
    readFileSync(path.join(fixture, 'device'), 'utf8'),
  );
  if (!match) throw new Error('no DEVNAME in the recorded device description');
  return match[1];
}

describe.skipIf(!ready)('NB-1010-U replay of a real capture', () => {
  it('decodes the recorded transfers to libfprint’s image, pixel for pixel', async () => {
    const { stdout } = await promisify(execFile)(
      umockdev!,
      [
        '-d',
        path.join(fixture, 'device'),
        '-i',
        `${recordedDevnode()}=${path.join(fixture, 'capture.ioctl')}`,
        '--',
        process.execPath,
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'test/integration/sensors/scripts/nb1010-capture.ts'),
      ],
      { cwd: REPO_ROOT, timeout: 30_000, maxBuffer: 1 << 20 },
    );
    const result = JSON.parse(stdout) as {
      width: number;
      height: number;
      dpi: number;
      events: string[];
      pixels: string;
    };
    const pixels = new Uint8Array(Buffer.from(result.pixels, 'base64'));

    const png = PNG.sync.read(readFileSync(path.join(fixture, 'capture.png')));
    expect([result.width, result.height]).toEqual([png.width, png.height]);
    expect(result.events).toEqual(['finger-placed']);
    const expected = new Uint8Array(png.width * png.height);
    for (let i = 0; i < expected.length; i++) {
      const [r, g, b] = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2]];
      expect(r === g && g === b).toBe(true); // grey stored as RGB
      expected[i] = r;
    }
    let mismatches = 0;
    for (let i = 0; i < expected.length; i++) if (pixels[i] !== expected[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(pixels.length).toBe(expected.length);
  });
});
