/**
 * The one list of sensor drivers. Adding a driver = its file in this folder + one line in
 * SENSOR_DRIVERS. USB sensors are found by their USB ids without configuration; serial ones are
 * configured by port path (and baud rate when not the module's default).
 */
import { BridgeError } from '../../protocols/errors.ts';
import { libusbBus } from '../usb/libusb-bus.ts';
import type { UsbBus, UsbDeviceInfo } from '../usb/types.ts';
import { GrowSensor } from './grow.ts';
import { Gt521Sensor } from './gt521.ts';
import { Nb1010Sensor } from './nb1010.ts';
import type {
  FingerprintSensor,
  SensorClass,
  SensorConfig,
  SensorDeps,
  SensorDescriptor,
  UsbSensorConfig,
} from './types.ts';
import { isSerialConfig } from './types.ts';
import { UareU4000Sensor } from './uareu4000.ts';
import { matchesDescriptor } from './usb-sensor.ts';

// biome-ignore lint/suspicious/noExplicitAny: each class takes its own config kind; openSensor checks which
export const SENSOR_DRIVERS: Readonly<Record<string, SensorClass<any>>> = {
  nb1010: Nb1010Sensor,
  grow: GrowSensor,
  gt521: Gt521Sensor,
  uareu4000: UareU4000Sensor,
};

export function sensorDescriptors(): SensorDescriptor[] {
  return Object.values(SENSOR_DRIVERS).map((c) => c.descriptor);
}

export interface DiscoveredUsbSensor {
  /** registry name: pass it as `driver` to openSensor, with the bus number and address */
  driver: string;
  name: string;
  model?: string;
  experimental: boolean;
  device: UsbDeviceInfo;
}

function identify(device: UsbDeviceInfo): DiscoveredUsbSensor | null {
  for (const [driver, cls] of Object.entries(SENSOR_DRIVERS)) {
    const d = cls.descriptor;
    if (d.kind !== 'usb' || !matchesDescriptor(d, device)) continue;
    const id = d.usbIds?.find((u) => u.vendorId === device.vendorId && u.productId === device.productId);
    return { driver, name: d.name, model: id?.model, experimental: d.experimental ?? false, device };
  }
  return null;
}

/** Every connected USB device a registered driver knows. */
export function discoverUsbSensors(bus: UsbBus = libusbBus()): DiscoveredUsbSensor[] {
  return bus.list().flatMap((d) => identify(d) ?? []);
}

/**
 * Hotplug for known sensors: `attached` when one is plugged in, `detached` when one leaves.
 * Returns the function that stops watching.
 */
export function watchUsbSensors(
  onChange: (event: 'attached' | 'detached', sensor: DiscoveredUsbSensor) => void,
  bus: UsbBus = libusbBus(),
): () => void {
  return bus.watch(
    (device) => {
      const sensor = identify(device);
      if (sensor) onChange('attached', sensor);
    },
    (device) => {
      const sensor = identify(device);
      if (sensor) onChange('detached', sensor);
    },
  );
}

/** The config that opens a discovered USB sensor (that exact device). */
export function usbSensorConfig(sensor: DiscoveredUsbSensor): UsbSensorConfig {
  return {
    driver: sensor.driver,
    busNumber: sensor.device.busNumber,
    deviceAddress: sensor.device.deviceAddress,
  };
}

/**
 * Creates the configured driver and opens it. Rejects with INVALID_PARAMS for an unknown driver
 * or a config of the wrong kind, NO_SENSOR when the device is absent or silent.
 */
export async function openSensor(config: SensorConfig, deps: SensorDeps = {}): Promise<FingerprintSensor> {
  const cls = Object.hasOwn(SENSOR_DRIVERS, config.driver) ? SENSOR_DRIVERS[config.driver] : undefined;
  if (!cls) {
    throw new BridgeError('INVALID_PARAMS', `unknown fingerprint sensor driver "${config.driver}"`, {
      known: Object.keys(SENSOR_DRIVERS),
    });
  }
  const wantsSerial = cls.descriptor.kind === 'serial';
  if (wantsSerial !== isSerialConfig(config)) {
    throw new BridgeError(
      'INVALID_PARAMS',
      wantsSerial
        ? `driver ${config.driver} needs a serial port path`
        : `driver ${config.driver} is a USB sensor: give no port path`,
    );
  }
  const sensor = new cls(config, deps);
  await sensor.open();
  return sensor;
}
