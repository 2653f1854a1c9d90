import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { FingerControl, fitImage, type ImageRequest } from '../../../simulator/sensors/finger-control.ts';
import { SimulatedSensor } from '../../../simulator/sensors/simulated-sensor.ts';
import { recordingSource, ridgePattern } from './pattern-source.ts';

describe('in-process simulated sensor', () => {
  it('captures what the image source draws for the presentation on the platen, with preview frames', async () => {
    const requests: ImageRequest[] = [];
    const sensor = new SimulatedSensor({
      images: (r) => {
        requests.push(r);
        return ridgePattern(r);
      },
      width: 256,
      height: 360,
      captureMs: 40,
      previewFrames: 2,
    });
    await sensor.open();
    const previews: GrayImage[] = [];
    sensor.on('preview', (p) => previews.push(p));
    sensor.control.otherFinger();
    const image = await sensor.capture({ timeoutMs: 500 });
    expect(requests).toEqual([
      { width: 256, height: 360, dpi: 500, presentation: 'other', sequence: 0, sensor: 'simulated' },
    ]);
    expect(Buffer.from(image.pixels).equals(Buffer.from(ridgePattern(requests[0]).pixels))).toBe(true);
    expect(previews).toHaveLength(2);
    expect(previews[0].pixels.subarray(0, 256)).toEqual(image.pixels.subarray(0, 256)); // top rows revealed
    expect(previews[0].pixels.at(-1)).toBe(255); // bottom still blank
    sensor.control.poorQuality();
    await sensor.capture();
    expect(requests[1]).toMatchObject({ presentation: 'poor', sequence: 1 });
    expect(sensor.descriptor.capabilities).toMatchObject({ preview: true, width: 256, height: 360 });
  });

  it('waits for a finger, emitting finger-placed and finger-removed', async () => {
    const sensor = new SimulatedSensor({ images: recordingSource(), pollMs: 10 });
    await sensor.open();
    const events: string[] = [];
    sensor.on('finger-placed', () => events.push('placed'));
    sensor.on('finger-removed', () => events.push('removed'));
    setTimeout(() => sensor.control.genuineFinger(), 40);
    await sensor.waitForFinger({ timeoutMs: 1_000 });
    sensor.control.noFinger();
    await expect(sensor.capture({ timeoutMs: 60 })).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT' });
    expect(events).toEqual(['placed', 'removed']);
  });

  it('gives CAPTURE_TIMEOUT when the source says there is no finger', async () => {
    const sensor = new SimulatedSensor({ images: () => 'no-finger', captureMs: 1 });
    await sensor.open();
    sensor.control.genuineFinger();
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT' });
  });

  it('gives SENSOR_REMOVED when unplugged mid-capture, NO_SENSOR while unplugged, and works again once plugged in', async () => {
    const control = new FingerControl();
    const sensor = new SimulatedSensor({ images: recordingSource(), control, captureMs: 500 });
    await sensor.open();
    control.genuineFinger();
    const removed = new Promise<void>((resolve) => sensor.once('removed', () => resolve()));
    setTimeout(() => control.unplug(), 50);
    const started = Date.now();
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
    expect(Date.now() - started).toBeLessThan(400);
    await removed;
    await expect(sensor.open()).rejects.toMatchObject({ code: 'NO_SENSOR' });
    control.plugIn();
    await sensor.open();
    await expect(sensor.capture()).resolves.toMatchObject({ width: 288, height: 384 });
  });

  it('gives CANCELLED on abort', async () => {
    const sensor = new SimulatedSensor({ images: recordingSource(), captureMs: 1_000 });
    await sensor.open();
    sensor.control.genuineFinger();
    await expect(sensor.capture({ signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('fitting a source image to a sensor', () => {
  const image = (w: number, h: number): GrayImage => ({
    width: w,
    height: h,
    dpi: 500,
    pixels: new Uint8Array(w * h).map((_, i) => i % 200),
  });

  it('centres a smaller image on a white platen', () => {
    const fitted = fitImage(image(2, 2), 4, 4, 500);
    expect(Array.from(fitted.pixels)).toEqual([
      255, 255, 255, 255, 255, 0, 1, 255, 255, 2, 3, 255, 255, 255, 255, 255,
    ]);
  });

  it('crops a larger image around its centre', () => {
    const fitted = fitImage(image(4, 4), 2, 2, 500);
    expect(Array.from(fitted.pixels)).toEqual([5, 6, 9, 10]);
  });
});
