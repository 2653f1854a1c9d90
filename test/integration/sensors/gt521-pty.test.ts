/**
 * The GT-521 driver through real serialport on a socat pty pair, against the simulated module.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Gt521Sensor } from '../../../drivers/fingerprint/gt521.ts';
import { isBridgeError } from '../../../protocols/errors.ts';
import { Gt521Command } from '../../../protocols/sensors/gt521.ts';
import type { SimulatedGt521Module } from '../../../simulator/sensors/gt521-module.ts';
import { transmitMs } from '../../../simulator/sensors/line-pacer.ts';
import { type SerialRig, startGt521Rig } from '../../../simulator/sensors/serial-rig.ts';
import { socatAvailable } from '../../../simulator/sensors/socat-pair.ts';
import { recordingSource } from '../../unit/sensors/pattern-source.ts';
import { afterFirst } from './after-first.ts';

if (!socatAvailable())
  console.warn('GT-521 pty tests skipped: socat is not installed (apt-get install socat)');

describe.skipIf(!socatAvailable())('GT-521 driver over a pty', () => {
  let rig: SerialRig<SimulatedGt521Module> | null = null;
  let sensor: Gt521Sensor | null = null;

  afterEach(async () => {
    await sensor?.close();
    await rig?.close();
    sensor = null;
    rig = null;
  });

  async function setUp(options: { pacing?: boolean; transferBaudRate?: number } = {}) {
    const images = recordingSource();
    rig = await startGt521Rig({ images, pacing: options.pacing ?? false });
    sensor = new Gt521Sensor({
      driver: 'gt521',
      path: rig.path,
      options: options.transferBaudRate ? { transferBaudRate: options.transferBaudRate } : undefined,
    });
    return { images, rig, sensor };
  }

  it('opens at 9,600, switches to 115,200, and captures a 258 x 202 image', async () => {
    const { images, rig, sensor } = await setUp();
    await sensor.open();
    expect(rig.module.baudRate).toBe(115_200);
    expect(sensor.firmwareVersion).toBe(0x20130721);
    rig.control.genuineFinger();
    const image = await sensor.capture({ timeoutMs: 2_000 });
    expect([image.width, image.height]).toEqual([258, 202]);
    expect(Buffer.from(image.pixels).equals(Buffer.from(images.images[0].pixels))).toBe(true);
    expect(rig.module.received).toEqual([
      Gt521Command.OPEN,
      Gt521Command.CHANGE_BAUD_RATE,
      Gt521Command.CMOS_LED, // on, to look for the finger
      Gt521Command.IS_PRESS_FINGER,
      Gt521Command.CAPTURE_FINGER,
      Gt521Command.GET_IMAGE,
      Gt521Command.CMOS_LED, // off again
    ]);
    expect(rig.module.ledOn).toBe(false);
  });

  it('polls IsPressFinger until a finger comes, emitting finger-placed', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    const events: string[] = [];
    sensor.on('finger-placed', () => events.push('placed'));
    // put the finger down only once the driver has looked at least once (robust under load)
    afterFirst(rig.module.received, Gt521Command.IS_PRESS_FINGER, () => rig.control.poorQuality());
    await sensor.waitForFinger({ timeoutMs: 3_000 });
    expect(events).toEqual(['placed']);
    expect(rig.module.received.filter((c) => c === Gt521Command.IS_PRESS_FINGER).length).toBeGreaterThan(1);
  });

  it('gives CAPTURE_TIMEOUT when no finger comes', async () => {
    const { sensor } = await setUp();
    await sensor.open();
    await expect(sensor.capture({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT' });
  });

  it('turns a NACK into a clear error: finger lifted between detection and capture', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    rig.control.genuineFinger();
    await sensor.waitForFinger({ timeoutMs: 1_000 });
    rig.control.noFinger();
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT', message: /lifted/ });
  });

  it('refuses an impossible baud rate with the module’s NACK', async () => {
    const { sensor } = await setUp({ transferBaudRate: 12_345 });
    const error = await sensor.open().catch((e: unknown) => e);
    expect(isBridgeError(error, 'INTERNAL')).toBe(true);
    expect((error as Error).message).toMatch(/CHANGE_BAUD_RATE refused: invalid baud rate/);
  });

  it('reports a bad checksum on the image data packet and recovers', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    rig.control.genuineFinger();
    rig.module.corruptNext('data');
    await expect(sensor.capture()).rejects.toThrow(/GET_IMAGE: data packet has a bad checksum/);
    await expect(sensor.capture()).resolves.toMatchObject({ width: 258, height: 202 });
  });

  it('reports a bad checksum on a response and recovers', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    rig.control.genuineFinger();
    rig.module.corruptNext('response');
    await expect(sensor.capture()).rejects.toThrow(/response has a bad checksum/);
    await expect(sensor.capture()).resolves.toMatchObject({ width: 258 });
  });

  it('reopens a module left at 115,200 by an earlier session', async () => {
    const { rig, sensor } = await setUp();
    await sensor.open();
    await sensor.close();
    expect(rig.module.baudRate).toBe(115_200);
    const again = new Gt521Sensor({ driver: 'gt521', path: rig.path });
    await again.open();
    expect(again.isOpen).toBe(true);
    await again.close();
  });

  it('gives SENSOR_REMOVED and emits removed when the line goes away mid-image', async () => {
    const { rig, sensor } = await setUp({ pacing: true });
    await sensor.open();
    rig.control.genuineFinger();
    await sensor.waitForFinger({ timeoutMs: 2_000 });
    const removed = new Promise<void>((resolve) => sensor.once('removed', () => resolve()));
    setTimeout(() => rig.control.unplug(), 800); // the 52 KB image takes ~4.5 s at 115,200
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
    await removed;
    expect(sensor.isOpen).toBe(false);
  });

  it('takes at least the modelled line time for GetImage when pacing is on', async () => {
    const { rig, sensor } = await setUp({ pacing: true });
    await sensor.open();
    rig.control.genuineFinger();
    await sensor.waitForFinger({ timeoutMs: 2_000 });
    const started = performance.now();
    await sensor.capture();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(transmitMs(52_116 + 6, 115_200) * 0.95);
  });
});
