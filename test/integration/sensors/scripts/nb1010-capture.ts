/**
 * Runs inside `umockdev-run` (see nb1010-replay.test.ts): opens the NB-1010-U through the real
 * driver and libusb, captures once, and prints the image as JSON on stdout (a test image from a
 * public recording, not personal data).
 */
import { Nb1010Sensor } from '../../../../drivers/fingerprint/nb1010.ts';

const sensor = new Nb1010Sensor({ driver: 'nb1010' });
const events: string[] = [];
sensor.on('finger-placed', () => events.push('finger-placed'));
await sensor.open();
await sensor.waitForFinger({ timeoutMs: 2_000 });
const image = await sensor.capture();
await sensor.close();
process.stdout.write(
  JSON.stringify({
    width: image.width,
    height: image.height,
    dpi: image.dpi,
    events,
    pixels: Buffer.from(image.pixels).toString('base64'),
  }),
);
