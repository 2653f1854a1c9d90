/**
 * Prints how long one image capture takes through the real drivers, serialport and a socat pty,
 * with the baud-rate timing model on, next to what the model predicts for the bytes on the wire.
 * Run: npx tsx test/bench/sensors/serial-upload.ts
 */
import { GrowSensor } from '../../../drivers/fingerprint/grow.ts';
import { Gt521Sensor } from '../../../drivers/fingerprint/gt521.ts';
import type { FingerprintSensor } from '../../../drivers/fingerprint/types.ts';
import { transmitMs } from '../../../simulator/sensors/line-pacer.ts';
import { type SerialRig, startGrowRig, startGt521Rig } from '../../../simulator/sensors/serial-rig.ts';
import { socatAvailable } from '../../../simulator/sensors/socat-pair.ts';
import { ridgePattern } from '../../unit/sensors/pattern-source.ts';

async function measure(
  label: string,
  rig: SerialRig<unknown>,
  sensor: FingerprintSensor,
  wireBytes: number,
  baud: number,
) {
  try {
    await sensor.open();
    rig.control.genuineFinger();
    await sensor.waitForFinger({ timeoutMs: 5_000 });
    const started = performance.now();
    await sensor.capture();
    const ms = performance.now() - started;
    const model = transmitMs(wireBytes, baud);
    console.log(
      `${label.padEnd(38)} ${(ms / 1000).toFixed(2).padStart(6)} s   (model ${(model / 1000).toFixed(2)} s for ${wireBytes} bytes)`,
    );
  } finally {
    await sensor.close();
    await rig.close();
  }
}

if (!socatAvailable()) {
  console.log('socat is not installed: nothing to measure');
  process.exit(0);
}

const growWire = (packetSize: number) => 12 + (36_864 / packetSize) * (packetSize + 11);
for (const [baud, packetSize] of [
  [57_600, 128],
  [115_200, 128],
  [115_200, 256],
] as const) {
  const rig = await startGrowRig({ images: ridgePattern, pacing: true, baudRate: baud });
  const sensor = new GrowSensor({ driver: 'grow', path: rig.path, baudRate: baud, options: { packetSize } });
  await measure(`Grow UpImage @ ${baud}, ${packetSize} B packets`, rig, sensor, growWire(packetSize), baud);
}

const rig = await startGt521Rig({ images: ridgePattern, pacing: true });
const sensor = new Gt521Sensor({ driver: 'gt521', path: rig.path });
// CaptureFinger ACK + GetImage ACK + data packet + LED off ACK, at 115,200 after the switch
await measure('GT-521 capture+GetImage @ 115200', rig, sensor, 12 * 3 + 52_116 + 6, 115_200);
