/**
 * The Grow and GT-521 drivers against the simulated modules over an in-memory serial pair:
 * the exact bytes on the line, without socat (the pty tests in test/integration/sensors cover the
 * real serialport path).
 */
import { describe, expect, it } from 'vitest';
import { GrowSensor } from '../../../drivers/fingerprint/grow.ts';
import { Gt521Sensor } from '../../../drivers/fingerprint/gt521.ts';
import { hex } from '../../../protocols/sensors/bytes.ts';
import { FingerControl } from '../../../simulator/sensors/finger-control.ts';
import { SimulatedGrowModule } from '../../../simulator/sensors/grow-module.ts';
import { SimulatedGt521Module } from '../../../simulator/sensors/gt521-module.ts';
import { memorySerialPair } from '../../../simulator/sensors/memory-serial.ts';
import { quantise4, recordingSource } from './pattern-source.ts';

async function growRig(options: Record<string, unknown> = {}) {
  const pair = memorySerialPair();
  const control = new FingerControl();
  const images = recordingSource();
  const module = new SimulatedGrowModule({
    path: 'sim',
    images,
    control,
    pacing: false,
    transportFactory: pair.moduleFactory,
  });
  await module.start();
  const sensor = new GrowSensor(
    { driver: 'grow', path: 'mem', options },
    { serialTransportFactory: pair.driverFactory },
  );
  return { pair, control, images, module, sensor };
}

describe('Grow driver, byte level', () => {
  it('sends VfyPwd, SetSysPara(6, n), GenImg and UpImage exactly as the protocol says', async () => {
    const { pair, control, images, sensor } = await growRig({ packetSize: 64 });
    await sensor.open();
    control.genuineFinger();
    const image = await sensor.capture();
    expect(pair.driverEnd!.written.map(hex)).toEqual([
      'ef01ffffffff0100071300000000001b', // VfyPwd 00000000
      'ef01ffffffff0100050e0601001b', // SetSysPara packet size 64
      'ef01ffffffff010003010005', // GenImg
      'ef01ffffffff0100030a000e', // UpImage
    ]);
    expect(Buffer.from(image.pixels).equals(Buffer.from(quantise4(images.images[0].pixels)))).toBe(true);
    // the module answered with 1 + 576 data packets of 64 bytes after the UpImage acknowledge
    const fromModule = Buffer.concat(pair.moduleEnd!.written);
    expect(fromModule.length).toBe(3 * 12 + 12 + 576 * (64 + 11));
    await sensor.close();
  });

  it('uses the configured module address and password', async () => {
    const pair = memorySerialPair();
    const control = new FingerControl();
    const module = new SimulatedGrowModule({
      path: 'sim',
      images: recordingSource(),
      control,
      pacing: false,
      address: 0x12345678,
      password: 0xcafe,
      transportFactory: pair.moduleFactory,
    });
    await module.start();
    const sensor = new GrowSensor(
      { driver: 'grow', path: 'mem', options: { address: 0x12345678, password: 0xcafe } },
      { serialTransportFactory: pair.driverFactory },
    );
    await sensor.open();
    expect(hex(pair.driverEnd!.written[0])).toBe('ef0112345678010007130000cafe01e3');
    await sensor.close();
  });

  it('gives SENSOR_REMOVED when the line drops mid-exchange', async () => {
    const { pair, control, sensor } = await growRig();
    await sensor.open();
    control.noFinger();
    setTimeout(() => pair.unplug(), 30);
    await expect(sensor.waitForFinger({ timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'SENSOR_REMOVED',
    });
  });
});

describe('GT-521 driver, byte level', () => {
  it('sends Open(1), ChangeBaudRate(115200), CmosLed, IsPressFinger, CaptureFinger(1), GetImage', async () => {
    const pair = memorySerialPair();
    const control = new FingerControl();
    const images = recordingSource();
    const module = new SimulatedGt521Module({
      path: 'sim',
      images,
      control,
      pacing: false,
      transportFactory: pair.moduleFactory,
    });
    await module.start();
    const sensor = new Gt521Sensor(
      { driver: 'gt521', path: 'mem' },
      { serialTransportFactory: pair.driverFactory },
    );
    await sensor.open();
    expect(pair.driverEnd!.baudRate).toBe(115_200);
    // Open's device info carries the module's serial: receipts name the sensor by it
    expect(sensor.serialNumber).toBe('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
    control.genuineFinger();
    const image = await sensor.capture();
    expect(pair.driverEnd!.written.map(hex)).toEqual([
      '55aa01000100000001000201', // Open, ask for device info
      '55aa010000c201000400c701', // ChangeBaudRate 115200
      '55aa01000100000012001301', // CmosLed on
      '55aa01000000000026002601', // IsPressFinger
      '55aa01000100000060006101', // CaptureFinger, best image
      '55aa01000000000062006201', // GetImage
      '55aa01000000000012001201', // CmosLed off
    ]);
    expect(Buffer.from(image.pixels).equals(Buffer.from(images.images[0].pixels))).toBe(true);
    await sensor.close();
  });
});
