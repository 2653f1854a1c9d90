/**
 * finger.capture through the real Grow driver and serialport on a socat pty, the simulated module
 * feeding synthetic impressions: the sensor manager opens it from a serial configuration entry,
 * the capture service captures and extracts in the real match pool. Also: the port going away is
 * SENSOR_REMOVED and sensor.removed.
 */
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { syntheticFinger } from '../../../simulator/fingerprints/index.ts';
import type { ImageRequest } from '../../../simulator/sensors/finger-control.ts';
import type { SimulatedGrowModule } from '../../../simulator/sensors/grow-module.ts';
import { type SerialRig, startGrowRig } from '../../../simulator/sensors/serial-rig.ts';
import { socatAvailable } from '../../../simulator/sensors/socat-pair.ts';
import { compare, DEFAULT_THRESHOLD } from '../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { SensorManager } from '../../../src/devices/sensors.ts';
import { CaptureService } from '../../../src/services/finger/capture-service.ts';
import type { Notification } from '../../../src/services/types.ts';

if (!socatAvailable())
  console.warn('Grow capture tests skipped: socat is not installed (apt-get install socat)');

const FINGER = syntheticFinger(4242);
const STRANGER = syntheticFinger(777);

/** impressions 100, 101, ... of one synthetic finger (another person's for 'other') */
function syntheticSource(request: ImageRequest): GrayImage {
  const finger = request.presentation === 'other' ? STRANGER : FINGER;
  return finger.impression(100 + request.sequence, { width: request.width, height: request.height });
}

const ctx = (signal = new AbortController().signal) => ({
  signal,
  progress: () => {},
  origin: 'http://127.0.0.1:7215',
});

describe.skipIf(!socatAvailable())('capture through the Grow driver on a pty', () => {
  let pool: MatchPool;
  let rig: SerialRig<SimulatedGrowModule> | undefined;
  let manager: SensorManager | undefined;

  beforeAll(() => {
    pool = new MatchPool({ threads: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });
  afterEach(async () => {
    await manager?.close();
    await rig?.close();
    manager = undefined;
    rig = undefined;
  });

  async function setUp() {
    rig = await startGrowRig({ images: syntheticSource, pacing: false });
    manager = new SensorManager({
      usbBus: null,
      configs: [{ driver: 'grow', path: rig.path }],
      reopenIntervalMs: 100,
    });
    const notes: Notification[] = [];
    manager.onNotification((n) => notes.push(n));
    await manager.start();
    const service = new CaptureService({ sensors: manager, pool });
    service.onNotification((n) => notes.push(n));
    return { rig, manager, service, notes, id: `grow:${rig.path}` };
  }

  it('captures a synthetic finger: 256 x 288 PNG at 500 dpi with quality and minutiae', async () => {
    const { rig, service, notes, id } = await setUp();
    expect(manager?.list()).toEqual([{ id, driver: 'grow', name: expect.any(String), state: 'ready' }]);
    rig.control.genuineFinger();
    const result = await service.capture({ sensorId: id, timeoutMs: 10_000 }, ctx());
    expect(result).toMatchObject({ sensorId: id, width: 256, height: 288, dpi: 500 });
    expect(result.minutiaeCount).toBeGreaterThan(15);
    expect(result.quality).toBeGreaterThan(30);
    const png = PNG.sync.read(Buffer.from(result.image, 'base64'));
    expect([png.width, png.height]).toEqual([256, 288]);
    expect(notes.map((n) => n.method)).toEqual(['sensor.added', 'finger.placed']);
  });

  it('two captures of the same finger over the wire match; a stranger does not', async () => {
    const { rig, service } = await setUp();
    rig.control.genuineFinger();
    const a = await service.captureTemplate({ timeoutMs: 10_000 }, ctx());
    const b = await service.captureTemplate({ timeoutMs: 10_000 }, ctx());
    rig.control.otherFinger();
    const c = await service.captureTemplate({ timeoutMs: 10_000 }, ctx());
    const genuine = compare(b.template, a.template);
    const impostor = compare(c.template, a.template);
    console.log(`Grow pty: genuine ${genuine.toFixed(3)}, impostor ${impostor.toFixed(3)}`);
    expect(genuine).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(impostor).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('times out with no finger, and the port going away mid-wait is SENSOR_REMOVED and sensor.removed', async () => {
    const { rig, service, notes } = await setUp();
    await expect(service.capture({ timeoutMs: 300 }, ctx())).rejects.toMatchObject({
      code: 'CAPTURE_TIMEOUT',
    });
    const waiting = service.capture({ timeoutMs: 10_000 }, ctx());
    setTimeout(() => rig.control.unplug(), 200);
    await expect(waiting).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
    for (let i = 0; i < 100 && !notes.some((n) => n.method === 'sensor.removed'); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(notes.map((n) => n.method)).toContain('sensor.removed');
    expect(manager?.list()[0].state).toBe('absent');
    await expect(service.capture({}, ctx())).rejects.toMatchObject({ code: 'NO_SENSOR' });
  });

  it('cancels a capture waiting for a finger', async () => {
    const { service } = await setUp();
    const controller = new AbortController();
    const waiting = service.capture({ timeoutMs: 10_000 }, ctx(controller.signal));
    setTimeout(() => controller.abort(), 200);
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(manager?.list()[0].state).toBe('ready');
  });
});
