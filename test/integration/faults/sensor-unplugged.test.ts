/**
 * Fault matrix (issue 11 item 7): a UART fingerprint sensor (Grow, through real serialport on a
 * socat pty pair) unplugged in the middle of a capture's image upload, then plugged back at the
 * same device path. The capture in flight is answered SENSOR_REMOVED long before the upload would
 * have ended, the sensor is listed absent (a capture then is NO_SENSOR), and once the adapter is
 * back the manager re-opens it by itself and the next capture works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GrowInstruction } from '../../../protocols/sensors/grow.ts';
import { FingerControl } from '../../../simulator/sensors/finger-control.ts';
import { SimulatedGrowModule } from '../../../simulator/sensors/grow-module.ts';
import { type PtyPair, socatAvailable, startSocatPair } from '../../../simulator/sensors/socat-pair.ts';
import { SensorManager } from '../../../src/devices/sensors.ts';
import { CaptureService } from '../../../src/services/finger/capture-service.ts';
import { recordingSource } from '../../unit/sensors/pattern-source.ts';
import { countingPool } from '../../unit/services/finger/fakes.ts';
import { afterFirst } from '../sensors/after-first.ts';

const ctx = () => ({ signal: new AbortController().signal, progress() {}, origin: 'http://127.0.0.1' });

describe.skipIf(!socatAvailable())('sensor unplugged mid-capture and plugged back (Grow over a pty)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-fault-sensor-'));
  const control = new FingerControl();
  let pair: PtyPair | undefined;
  let module: SimulatedGrowModule | undefined;
  let manager: SensorManager | undefined;

  /** the USB-serial adapter plugged in: a pty pair at the same links, the module on its far end */
  async function plugIn(): Promise<void> {
    rmSync(join(dir, 'A'), { force: true });
    rmSync(join(dir, 'B'), { force: true });
    pair = await startSocatPair({ dir });
    module = new SimulatedGrowModule({
      path: pair.b,
      control,
      images: recordingSource(),
      pacing: true,
      baudRate: 57_600,
    });
    await module.start();
  }
  control.on('unplug', () => pair?.unplug());

  afterAll(async () => {
    await manager?.close();
    await module?.stop();
    await pair?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SENSOR_REMOVED for the capture in flight, absent while away, re-opened by itself, captures again', async () => {
    await plugIn();
    manager = new SensorManager({
      configs: [{ driver: 'grow', path: join(dir, 'A'), baudRate: 57_600 }],
      usbBus: null,
      reopenIntervalMs: 200,
    });
    await manager.start();
    expect(manager.list()[0].state).toBe('ready');
    const service = new CaptureService({ sensors: manager, pool: countingPool().pool, previewIntervalMs: 0 });

    control.genuineFinger();
    afterFirst(module!.received, GrowInstruction.UP_IMAGE, () => setTimeout(() => control.unplug(), 300));
    const started = Date.now();
    await expect(service.capture({ timeoutMs: 10_000 }, ctx())).rejects.toMatchObject({
      code: 'SENSOR_REMOVED',
    });
    expect(Date.now() - started).toBeLessThan(5_000); // the paced upload alone takes ~7 s
    while (manager.list()[0].state !== 'absent') await new Promise((r) => setTimeout(r, 20));
    await expect(service.capture({}, ctx())).rejects.toMatchObject({ code: 'NO_SENSOR' });

    await module!.stop();
    await pair!.close();
    control.plugIn();
    await plugIn();
    const deadline = Date.now() + 10_000;
    while (manager.list()[0].state !== 'ready' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(manager.list()[0].state).toBe('ready');
    control.genuineFinger();
    const image = await service.capture({ timeoutMs: 15_000 }, ctx());
    expect(image).toMatchObject({ width: 256, height: 288 });
  }, 60_000);
});
