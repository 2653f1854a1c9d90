/**
 * The Grow driver through real serialport on a socat pty pair, against the simulated module.
 * Pacing is off except where a test is about time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GrowSensor } from '../../../drivers/fingerprint/grow.ts';
import { isBridgeError } from '../../../protocols/errors.ts';
import { GrowInstruction } from '../../../protocols/sensors/grow.ts';
import type { SimulatedGrowModule } from '../../../simulator/sensors/grow-module.ts';
import { transmitMs } from '../../../simulator/sensors/line-pacer.ts';
import { type SerialRig, startGrowRig } from '../../../simulator/sensors/serial-rig.ts';
import { socatAvailable } from '../../../simulator/sensors/socat-pair.ts';
import { quantise4, recordingSource } from '../../unit/sensors/pattern-source.ts';
import { afterFirst } from './after-first.ts';

if (!socatAvailable()) console.warn('Grow pty tests skipped: socat is not installed (apt-get install socat)');

describe.skipIf(!socatAvailable())('Grow driver over a pty', () => {
  let rig: SerialRig<SimulatedGrowModule> | null = null;
  let sensor: GrowSensor | null = null;

  afterEach(async () => {
    await sensor?.close();
    await rig?.close();
    sensor = null;
    rig = null;
  });

  async function setUp(
    options: {
      pacing?: boolean;
      baudRate?: number;
      packetSize?: 32 | 64 | 128 | 256;
      sensorOptions?: Record<string, unknown>;
    } = {},
  ) {
    const images = recordingSource();
    rig = await startGrowRig({
      images,
      pacing: options.pacing ?? false,
      baudRate: options.baudRate,
      packetSize: options.packetSize,
    });
    sensor = new GrowSensor({
      driver: 'grow',
      path: rig.path,
      baudRate: options.baudRate,
      options: options.sensorOptions,
    });
    return { images, rig, sensor };
  }

  it('verifies the password on open, then captures the finger through GenImg and UpImage', async () => {
    const { images, rig, sensor } = await setUp();
    await sensor.open();
    const placed: string[] = [];
    sensor.on('finger-placed', () => placed.push('placed'));
    rig.control.genuineFinger();
    const image = await sensor.capture({ timeoutMs: 2_000 });
    expect([image.width, image.height, image.dpi]).toEqual([256, 288, 500]);
    expect(images.images).toHaveLength(1);
    expect(Buffer.from(image.pixels).equals(Buffer.from(quantise4(images.images[0].pixels)))).toBe(true);
    expect(placed).toEqual(['placed']);
    expect(rig.module.received).toEqual([
      GrowInstruction.VFY_PWD,
      GrowInstruction.GEN_IMG,
      GrowInstruction.UP_IMAGE,
    ]);
  });

  it('waits for a finger put down later, polling GenImg', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    afterFirst(rig.module.received, GrowInstruction.GEN_IMG, () => rig.control.otherFinger());
    await sensor.waitForFinger({ timeoutMs: 3_000 });
    const genImgs = rig.module.received.filter((i) => i === GrowInstruction.GEN_IMG).length;
    expect(genImgs).toBeGreaterThan(1);
    // capture after waitForFinger uploads the image GenImg already took: no further GenImg
    await sensor.capture();
    expect(rig.module.received.at(-1)).toBe(GrowInstruction.UP_IMAGE);
    expect(rig.module.received.filter((i) => i === GrowInstruction.GEN_IMG).length).toBe(genImgs);
  });

  it('gives CAPTURE_TIMEOUT when no finger comes', async () => {
    const { sensor } = await setUp();
    await sensor.open();
    const started = Date.now();
    await expect(sensor.capture({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('gives CANCELLED when the caller aborts the wait', async () => {
    const { sensor } = await setUp();
    await sensor.open();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(sensor.waitForFinger({ timeoutMs: 5_000, signal: controller.signal })).rejects.toMatchObject(
      { code: 'CANCELLED' },
    );
  });

  it('reports a bad data-packet checksum clearly and recovers for the next capture', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    rig.control.genuineFinger();
    rig.module.corruptNext('data');
    const error = await sensor.capture().catch((e: unknown) => e);
    expect(isBridgeError(error, 'INTERNAL')).toBe(true);
    expect((error as Error).message).toMatch(/data packet 4 has a bad checksum/);
    const image = await sensor.capture();
    expect(image.pixels.length).toBe(256 * 288);
  });

  it('reports a bad acknowledge checksum and recovers', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    rig.control.genuineFinger();
    rig.module.corruptNext('ack');
    await expect(sensor.capture()).rejects.toThrow(/acknowledge has a bad checksum/);
    await expect(sensor.capture()).resolves.toMatchObject({ width: 256 });
  });

  it('sets the configured data packet size and still assembles the image', async () => {
    const { images, rig, sensor } = await setUp({ sensorOptions: { packetSize: 32 } });
    await sensor.open();
    expect(rig.module.packetSize).toBe(32);
    rig.control.genuineFinger();
    const image = await sensor.capture();
    expect(Buffer.from(image.pixels).equals(Buffer.from(quantise4(images.images[0].pixels)))).toBe(true);
  });

  it('refuses to open with the wrong module password (NO_SENSOR)', async () => {
    const { sensor } = await setUp({ sensorOptions: { password: 0x1234 } });
    await expect(sensor.open()).rejects.toMatchObject({ code: 'NO_SENSOR' });
    expect(sensor.isOpen).toBe(false);
  });

  it('gives NO_SENSOR when nothing answers on the port', async () => {
    const { rig } = await setUp();
    await rig.module.stop();
    const silent = new GrowSensor({ driver: 'grow', path: rig.path });
    sensor = silent;
    await expect(silent.open()).rejects.toMatchObject({ code: 'NO_SENSOR' });
  });

  it('gives SENSOR_REMOVED and emits removed when the line goes away mid-upload', async () => {
    const { rig, sensor } = await setUp({ pacing: true, baudRate: 57_600 });
    await sensor.open();
    rig.control.genuineFinger();
    const removed = new Promise<void>((resolve) => sensor.once('removed', () => resolve()));
    setTimeout(() => rig.control.unplug(), 600);
    const started = Date.now();
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
    await removed;
    expect(Date.now() - started).toBeLessThan(3_000); // long before the 7 s upload would end
    expect(sensor.isOpen).toBe(false);
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
  });

  it('takes at least the modelled line time for an upload when pacing is on', async () => {
    const baudRate = 460_800;
    const { sensor, rig } = await setUp({ pacing: true, baudRate });
    await sensor.open();
    rig.control.genuineFinger();
    await sensor.waitForFinger({ timeoutMs: 2_000 });
    const started = performance.now();
    await sensor.capture();
    const elapsed = performance.now() - started;
    const wireBytes = 12 + 288 * (128 + 11); // UpImage acknowledge + 288 data packets
    expect(elapsed).toBeGreaterThanOrEqual(transmitMs(wireBytes, baudRate) * 0.95);
  });
});
