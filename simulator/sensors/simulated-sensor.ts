/**
 * An in-process simulated fingerprint sensor implementing the driver interface directly, for
 * `serve --simulate` and service tests: no pty, no USB. The FingerControl says what is on the
 * platen (genuine, other, poor, none) or pulls the plug; the ImageSource draws the finger.
 * It reports live preview frames while capturing, as a scanner with preview would.
 */

import { SensorBase } from '../../drivers/fingerprint/sensor-base.ts';
import type { SensorDescriptor } from '../../drivers/fingerprint/types.ts';
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import { FingerControl, type ImageSource } from './finger-control.ts';

export interface SimulatedSensorOptions {
  images: ImageSource;
  control?: FingerControl;
  /** image size and resolution (default 288 x 384 at 500 dpi, an FVC-sized optical platen) */
  width?: number;
  height?: number;
  dpi?: number;
  /** how long a capture takes (default 300 ms) */
  captureMs?: number;
  /** preview frames emitted during a capture (default 3; 0 = none) */
  previewFrames?: number;
  /** pause between finger checks (default 50 ms) */
  pollMs?: number;
}

export class SimulatedSensor extends SensorBase {
  static readonly descriptor: SensorDescriptor = {
    id: 'simulated',
    name: 'Simulated fingerprint sensor',
    kind: 'simulated',
    capabilities: { preview: true, fingerDetect: true, width: 288, height: 384, dpi: 500 },
  };
  readonly descriptor: SensorDescriptor;
  /** a fixed serial, so receipts of a simulated counter name their sensor as a real one would */
  readonly serialNumber = 'SIM-0001';
  readonly control: FingerControl;
  private readonly captureMs: number;
  private readonly previewFrames: number;
  /** rejects sleeps in progress when the plug is pulled */
  private unplugged = new AbortController();

  constructor(private readonly options: SimulatedSensorOptions) {
    super();
    const { width = 288, height = 384, dpi = 500 } = options;
    this.descriptor = {
      ...SimulatedSensor.descriptor,
      capabilities: { preview: true, fingerDetect: true, width, height, dpi },
    };
    this.control = options.control ?? new FingerControl();
    this.captureMs = options.captureMs ?? 300;
    this.previewFrames = options.previewFrames ?? 3;
    this.pollIntervalMs = options.pollMs ?? 50;
    this.control.on('unplug', () => {
      this.unplugged.abort();
      this.markRemoved();
    });
    this.control.on('plug', () => {
      this.unplugged = new AbortController();
    });
  }

  protected async openDevice(): Promise<void> {
    if (this.control.unplugged) throw new BridgeError('NO_SENSOR', 'the simulated sensor is unplugged');
  }

  protected async closeDevice(): Promise<void> {}

  protected async detectFinger(): Promise<boolean> {
    if (this.control.unplugged) throw new BridgeError('SENSOR_REMOVED');
    return this.control.state !== 'none';
  }

  protected async readImage(signal?: AbortSignal): Promise<GrayImage> {
    const { width, height, dpi } = this.descriptor.capabilities;
    const image = this.control.takeImage(this.options.images, { width, height, dpi, name: 'simulated' });
    if (image === 'no-finger')
      throw new BridgeError('CAPTURE_TIMEOUT', 'the finger was lifted before the capture');
    const frames = this.previewFrames;
    for (let i = 1; i <= frames; i++) {
      await this.pause(this.captureMs / (frames + 1), signal);
      this.emit('preview', revealRows(image, i / (frames + 1)));
    }
    await this.pause(frames > 0 ? this.captureMs / (frames + 1) : this.captureMs, signal);
    return image;
  }

  /** waits, failing with CANCELLED on the caller's signal and SENSOR_REMOVED on unplug */
  private pause(ms: number, signal?: AbortSignal): Promise<void> {
    const unplug = this.unplugged.signal;
    return new Promise((resolve, reject) => {
      const done = (error?: BridgeError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onCancel);
        unplug.removeEventListener('abort', onUnplug);
        if (error) reject(error);
        else resolve();
      };
      const onCancel = () => done(new BridgeError('CANCELLED'));
      const onUnplug = () => done(new BridgeError('SENSOR_REMOVED'));
      const timer = setTimeout(() => done(), ms);
      if (signal?.aborted) return onCancel();
      if (unplug.aborted) return onUnplug();
      signal?.addEventListener('abort', onCancel, { once: true });
      unplug.addEventListener('abort', onUnplug, { once: true });
    });
  }
}

/** A preview frame: the top part of the final image, the rest still blank, as a scan builds up. */
function revealRows(image: GrayImage, fraction: number): GrayImage {
  const pixels = new Uint8Array(image.pixels.length).fill(255);
  const rows = Math.round(image.height * fraction);
  pixels.set(image.pixels.subarray(0, rows * image.width));
  return { width: image.width, height: image.height, dpi: image.dpi, pixels };
}
