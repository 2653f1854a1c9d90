import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { FingerControl } from '../../../../simulator/sensors/finger-control.ts';
import { SimulatedSensor } from '../../../../simulator/sensors/simulated-sensor.ts';
import { SensorManager } from '../../../../src/devices/sensors.ts';
import { type CaptureContext, CaptureService } from '../../../../src/services/finger/capture-service.ts';
import type { Notification } from '../../../../src/services/types.ts';
import { ridgePattern } from '../../sensors/pattern-source.ts';
import { countingPool } from './fakes.ts';

function context(extra: Partial<CaptureContext> = {}) {
  const controller = new AbortController();
  const steps: string[] = [];
  const ctx: CaptureContext = {
    signal: controller.signal,
    progress: (step) => steps.push(step),
    origin: 'http://127.0.0.1:7215',
    ...extra,
  };
  return { ctx, steps, cancel: () => controller.abort() };
}

describe('CaptureService', () => {
  let manager: SensorManager | undefined;
  afterEach(async () => {
    await manager?.close();
    manager = undefined;
  });

  async function setUp(
    options: { previewIntervalMs?: number; captureMs?: number; previewFrames?: number } = {},
  ) {
    const control = new FingerControl();
    const sensor = new SimulatedSensor({
      images: ridgePattern,
      control,
      captureMs: options.captureMs ?? 40,
      previewFrames: options.previewFrames ?? 3,
      pollMs: 10,
    });
    manager = new SensorManager({ usbBus: null, reopenIntervalMs: 20 });
    await manager.addSensor(sensor);
    const pool = countingPool();
    const service = new CaptureService({
      sensors: manager,
      pool: pool.pool,
      previewIntervalMs: options.previewIntervalMs ?? 0,
    });
    const notes: Notification[] = [];
    service.onNotification((n) => notes.push(n));
    return { control, sensor, manager, pool, service, notes };
  }

  it('waits for the finger, captures, extracts in the pool and returns the PNG with its figures', async () => {
    const { control, pool, service, notes } = await setUp();
    const { ctx, steps } = context({ requestId: 7 });
    const result = service.capture({ timeoutMs: 2_000 }, ctx);
    await new Promise((r) => setTimeout(r, 30));
    expect(steps).toEqual(['waiting-finger']);
    control.genuineFinger();
    const r = await result;
    expect(steps).toEqual(['waiting-finger', 'capturing', 'extracting']);
    expect(pool.calls).toHaveLength(1);
    const sent = pool.calls[0];
    const png = PNG.sync.read(Buffer.from(r.image, 'base64'));
    expect([png.width, png.height]).toEqual([sent.width, sent.height]);
    // the PNG is the image the pool saw (grey in every channel)
    expect(png.data[4 * 1000]).toBe(sent.pixels[1000]);
    const dark = sent.pixels.reduce((n, p) => n + (p < 128 ? 1 : 0), 0);
    expect(r).toMatchObject({
      sensorId: 'simulated',
      width: 288,
      height: 384,
      dpi: 500,
      quality: 61,
      minutiaeCount: dark % 50,
    });
    expect(notes).toEqual([{ method: 'finger.placed', params: { requestId: 7, sensorId: 'simulated' } }]);
    expect(manager?.list()[0].state).toBe('ready');
  });

  it('sends small rate-limited previews only when asked', async () => {
    const { control, service, notes } = await setUp({
      previewFrames: 6,
      captureMs: 140,
      previewIntervalMs: 1_000,
    });
    control.genuineFinger();
    await service.capture({}, context().ctx);
    expect(notes.filter((n) => n.method === 'finger.preview')).toHaveLength(0);
    await service.capture({ preview: true }, context().ctx);
    const previews = notes.filter((n) => n.method === 'finger.preview');
    // six frames within 140 ms, at most one per second let through
    expect(previews).toHaveLength(1);
    const p = previews[0].params as { image: string; width: number; height: number };
    expect(p.width).toBeLessThanOrEqual(128);
    expect(p.height).toBe(Math.round((384 * p.width) / 288));
    const png = PNG.sync.read(Buffer.from(p.image, 'base64'));
    expect([png.width, png.height]).toEqual([p.width, p.height]);
  });

  it('lets every frame through with no interval', async () => {
    const { control, service, notes } = await setUp({ previewFrames: 4, previewIntervalMs: 0 });
    control.genuineFinger();
    await service.capture({ preview: true }, context().ctx);
    expect(notes.filter((n) => n.method === 'finger.preview')).toHaveLength(4);
  });

  it('sends finger events to the requesting client when the context can notify', async () => {
    const { control, service, notes } = await setUp();
    const mine: string[] = [];
    control.genuineFinger();
    await service.capture({ preview: true }, context({ notify: (method) => mine.push(method) }).ctx);
    expect(mine).toContain('finger.placed');
    expect(mine).toContain('finger.preview');
    expect(notes).toEqual([]);
  });

  it('is BUSY for a second capture on the same sensor, and free again afterwards', async () => {
    const { control, service } = await setUp();
    const first = service.capture({ timeoutMs: 2_000 }, context().ctx);
    await expect(service.capture({}, context().ctx)).rejects.toMatchObject({ code: 'BUSY' });
    await expect(service.capture({ sensorId: 'simulated' }, context().ctx)).rejects.toMatchObject({
      code: 'BUSY',
    });
    control.genuineFinger();
    await first;
    await expect(service.capture({}, context().ctx)).resolves.toMatchObject({ sensorId: 'simulated' });
  });

  it('says it started (the ticket is spent) only once it holds the sensor, never on BUSY', async () => {
    const { control, service } = await setUp();
    const starts: string[] = [];
    const first = service.capture({ timeoutMs: 2_000 }, context({ started: () => starts.push('first') }).ctx);
    await expect(
      service.capture({}, context({ started: () => starts.push('second') }).ctx),
    ).rejects.toMatchObject({ code: 'BUSY' });
    expect(starts).toEqual(['first']);
    control.genuineFinger();
    await first;
  });

  it('gives CAPTURE_TIMEOUT when no finger comes, and reports a finger lifted on the way', async () => {
    const { control, service, notes } = await setUp();
    control.genuineFinger();
    const started = Date.now();
    const pending = service.capture({ timeoutMs: 10_000 }, context().ctx);
    await expect(pending).resolves.toBeDefined();
    control.noFinger();
    await expect(service.capture({ timeoutMs: 150 }, context().ctx)).rejects.toMatchObject({
      code: 'CAPTURE_TIMEOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(notes.map((n) => n.method)).toEqual(['finger.placed', 'finger.removed']);
    expect(manager?.list()[0].state).toBe('ready');
  });

  it('is CANCELLED when the signal aborts while waiting, and the pool never runs', async () => {
    const { pool, service } = await setUp();
    const { ctx, cancel } = context();
    const pending = service.capture({ timeoutMs: 5_000 }, ctx);
    setTimeout(cancel, 40);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(pool.calls).toHaveLength(0);
    expect(manager?.list()[0].state).toBe('ready');
  });

  it('is CANCELLED when the signal aborts during extraction', async () => {
    const { control, pool, service } = await setUp();
    const release = pool.hold();
    control.genuineFinger();
    const { ctx, cancel, steps } = context();
    const pending = service.capture({}, ctx);
    while (!steps.includes('extracting')) await new Promise((r) => setTimeout(r, 5));
    cancel();
    release();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('is SENSOR_REMOVED when the sensor is unplugged while waiting or capturing', async () => {
    const { control, service } = await setUp({ captureMs: 400 });
    const waiting = service.capture({ timeoutMs: 5_000 }, context().ctx);
    setTimeout(() => control.unplug(), 30);
    await expect(waiting).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
    await expect(service.capture({}, context().ctx)).rejects.toMatchObject({ code: 'NO_SENSOR' });
    control.plugIn();
    while (manager?.list()[0].state !== 'ready') await new Promise((r) => setTimeout(r, 5));
    control.genuineFinger();
    const { ctx, steps } = context();
    const capturing = service.capture({}, ctx);
    while (!steps.includes('capturing')) await new Promise((r) => setTimeout(r, 5));
    control.unplug();
    await expect(capturing).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
  });

  it('keeps a capture whose image was taken before the unplug', async () => {
    const { control, pool, service } = await setUp();
    const release = pool.hold();
    control.genuineFinger();
    const { ctx, steps } = context();
    const pending = service.capture({}, ctx);
    while (!steps.includes('extracting')) await new Promise((r) => setTimeout(r, 5));
    control.unplug();
    while (manager?.list()[0].state !== 'absent') await new Promise((r) => setTimeout(r, 5));
    release();
    await expect(pending).resolves.toMatchObject({ width: 288 });
  });

  it('captureTemplate returns the live minutiae set only, without diagnostics or image', async () => {
    const { control, service } = await setUp();
    control.genuineFinger();
    const t = await service.captureTemplate({}, context().ctx);
    expect(Object.keys(t).sort()).toEqual([
      'dpi',
      'height',
      'minutiaeCount',
      'quality',
      'sensorId',
      'template',
      'width',
    ]);
    expect(Object.keys(t.template).sort()).toEqual([
      'dpiX',
      'dpiY',
      'fingerPosition',
      'height',
      'minutiae',
      'quality',
      'width',
    ]);
    expect(t.template.minutiae).toHaveLength(t.minutiaeCount);
  });

  it('captureTemplate with liveViews keeps the image for the other live views, extracted when asked (finger.verify)', async () => {
    const { control, service, pool } = await setUp();
    control.genuineFinger();
    const t = await service.captureTemplate({}, context().ctx, { liveViews: true });
    expect(pool.calls).toHaveLength(1);
    const others = await t.otherViews!();
    // one more view, from the same pixels (the first went to the pool and came back empty)
    expect(pool.calls).toHaveLength(2);
    expect(pool.calls[1].pixels).toEqual(pool.calls[0].pixels);
    expect(others).toHaveLength(1);
    expect(others[0].minutiae).toHaveLength(t.minutiaeCount - 1);
    expect(Object.keys(others[0])).toEqual(Object.keys(t.template));
    control.genuineFinger();
    // without it (finger.identify), nothing is kept and no other view is offered
    expect((await service.captureTemplate({}, context().ctx)).otherViews).toBeUndefined();
  });

  it('refuses a non-positive timeout and an unknown sensor', async () => {
    const { service } = await setUp();
    await expect(service.capture({ timeoutMs: 0 }, context().ctx)).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(service.capture({ sensorId: 'grow:/dev/ttyUSB9' }, context().ctx)).rejects.toMatchObject({
      code: 'NO_SENSOR',
    });
  });
});
