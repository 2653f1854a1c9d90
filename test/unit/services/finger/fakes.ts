/**
 * Fakes for the sensor manager and capture service tests: a FingerprintSensor whose presence is
 * scripted, a UsbBus with hotplug on demand, and a pool whose extraction is counted.
 */
import { EventEmitter } from 'node:events';
import { SENSOR_DRIVERS } from '../../../../drivers/fingerprint/registry.ts';
import type {
  FingerprintSensor,
  SensorConfig,
  SensorDescriptor,
  SensorEvents,
} from '../../../../drivers/fingerprint/types.ts';
import type { UsbBus, UsbDeviceInfo } from '../../../../drivers/usb/types.ts';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';
import type { ExtractionResult } from '../../../../src/biometrics/extract/index.ts';

/** A sensor that only opens and closes; `unplug()` makes it report `removed` as a driver would. */
export class PresenceSensor extends EventEmitter<SensorEvents> implements FingerprintSensor {
  readonly descriptor: SensorDescriptor;
  isOpen = false;

  constructor(readonly config: SensorConfig) {
    super();
    this.descriptor = SENSOR_DRIVERS[config.driver].descriptor;
  }

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }

  async waitForFinger(): Promise<void> {
    throw new BridgeError('INTERNAL', 'not used by these tests');
  }

  async capture(): Promise<GrayImage> {
    throw new BridgeError('INTERNAL', 'not used by these tests');
  }

  unplug(): void {
    this.isOpen = false;
    this.emit('removed');
  }
}

/**
 * Opens PresenceSensors for the configs whose port or device is "present"; records every
 * sensor it made, newest last.
 */
export function presenceOpener() {
  const present = new Set<string>();
  const made: PresenceSensor[] = [];
  const open = async (config: SensorConfig) => {
    const where =
      'path' in config
        ? config.path
        : `usb-${(config as { busNumber?: number }).busNumber}-${(config as { deviceAddress?: number }).deviceAddress}`;
    if (!present.has(where)) throw new BridgeError('NO_SENSOR', `nothing at ${where}`);
    const sensor = new PresenceSensor(config);
    await sensor.open();
    made.push(sensor);
    return sensor;
  };
  return { open, present, made };
}

export const NB1010_AT_1_4: UsbDeviceInfo = {
  vendorId: 0x298d,
  productId: 0x1010,
  busNumber: 1,
  deviceAddress: 4,
};
export const NOT_A_SENSOR: UsbDeviceInfo = {
  vendorId: 0x046d,
  productId: 0xc077,
  busNumber: 1,
  deviceAddress: 2,
};

export class FakeHotplugBus implements UsbBus {
  devices: UsbDeviceInfo[] = [];
  private attach?: (d: UsbDeviceInfo) => void;
  private detach?: (d: UsbDeviceInfo) => void;

  list(): UsbDeviceInfo[] {
    return [...this.devices];
  }

  async open(): Promise<never> {
    throw new BridgeError('INTERNAL', 'the manager opens through its opener in these tests');
  }

  watch(onAttach: (d: UsbDeviceInfo) => void, onDetach: (d: UsbDeviceInfo) => void): () => void {
    this.attach = onAttach;
    this.detach = onDetach;
    return () => {
      this.attach = undefined;
      this.detach = undefined;
    };
  }

  plug(device: UsbDeviceInfo): void {
    this.devices.push(device);
    this.attach?.(device);
  }

  unplug(device: UsbDeviceInfo): void {
    this.devices = this.devices.filter((d) => d !== device);
    this.detach?.(device);
  }
}

/**
 * A pool stand-in: "extracts" by counting dark pixels into a known number of minutiae, so a test
 * can tell the service reports what the pool found. `gate` holds the extraction until released.
 */
export function countingPool() {
  const calls: GrayImage[] = [];
  let gate: Promise<void> = Promise.resolve();
  const pool = {
    /** live view 1 (extract/live-views.ts) finds one minutia fewer, so the views tell apart */
    async extract(img: GrayImage, signal?: AbortSignal, view = 0): Promise<ExtractionResult> {
      calls.push({ ...img, pixels: img.pixels.slice() });
      const dark = img.pixels.reduce((n, p) => n + (p < 128 ? 1 : 0), 0);
      img.pixels = new Uint8Array(0); // as the real pool does: the pixels moved to the worker
      await gate;
      if (signal?.aborted) throw new BridgeError('CANCELLED');
      return fakeExtraction(img, Math.max(0, (dark % 50) - view));
    },
  };
  return {
    pool,
    calls,
    hold(): () => void {
      let release = () => {};
      gate = new Promise((r) => {
        release = r;
      });
      return release;
    },
  };
}

function fakeExtraction(
  img: { width: number; height: number; dpi: number },
  count: number,
): ExtractionResult {
  return {
    width: img.width,
    height: img.height,
    dpiX: img.dpi,
    dpiY: img.dpi,
    quality: 61,
    imageQuality: 61.4,
    foregroundRatio: 0.7,
    fingerPosition: 0,
    minutiae: Array.from({ length: count }, (_, i) => ({
      x: i,
      y: i,
      angle: 0.5,
      type: 'ending' as const,
      quality: 50,
    })),
  };
}
