/**
 * Runs inside `umockdev-run` (see nb1010-replay.test.ts): finds the NB-1010-U through the registry
 * and libusb, opens it, captures once, and prints the image as JSON on stdout (a test image from
 * a public recording, not personal data).
 */
import { discoverUsbSensors, openSensor, usbSensorConfig } from '../../../../drivers/fingerprint/registry.ts';

const discovered = discoverUsbSensors();
const nb1010 = discovered.find((s) => s.driver === 'nb1010');
if (!nb1010) throw new Error('the replayed NB-1010-U was not discovered');
const sensor = await openSensor(usbSensorConfig(nb1010));
const events: string[] = [];
sensor.on('finger-placed', () => events.push('finger-placed'));
await sensor.waitForFinger({ timeoutMs: 2_000 });
const image = await sensor.capture();
await sensor.close();
process.stdout.write(
  JSON.stringify({
    discovered: discovered.map((s) => ({ driver: s.driver, ...s.device })),
    width: image.width,
    height: image.height,
    dpi: image.dpi,
    events,
    pixels: Buffer.from(image.pixels).toString('base64'),
  }),
);
