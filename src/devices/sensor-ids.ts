/**
 * Stable names for fingerprint sensors, and the daemon's configuration entries turned into driver
 * configs. An id names WHERE a sensor is (port path, USB bus position), so a client that asked for
 * `grow:/dev/ttyUSB0` gets the same scanner after it was re-plugged into that port.
 */
import { type DiscoveredUsbSensor, SENSOR_DRIVERS } from '../../drivers/fingerprint/registry.ts';
import type {
  SensorConfig as DriverSensorConfig,
  SerialSensorConfig,
  UsbSensorConfig,
} from '../../drivers/fingerprint/types.ts';
import { BridgeError } from '../../protocols/errors.ts';
import type { SensorConfig } from '../config/types.ts';

/** `grow:/dev/ttyUSB0` for a serial sensor, `nb1010:usb-1-4` for a USB one at bus 1, address 4. */
export function sensorIdOf(config: DriverSensorConfig): string {
  if ('path' in config && typeof config.path === 'string') return `${config.driver}:${config.path}`;
  const usb = config as UsbSensorConfig;
  if (usb.busNumber !== undefined && usb.deviceAddress !== undefined)
    return `${usb.driver}:usb-${usb.busNumber}-${usb.deviceAddress}`;
  return `${usb.driver}:usb`;
}

export function usbSensorId(sensor: DiscoveredUsbSensor): string {
  return `${sensor.driver}:usb-${sensor.device.busNumber}-${sensor.device.deviceAddress}`;
}

/**
 * One `sensors[]` entry of the configuration as the driver registry wants it: `path` makes it a
 * serial sensor (with `baudRate` and the remaining keys as driver options), otherwise a USB one
 * (optionally pinned by `busNumber` / `deviceAddress`).
 */
export function toDriverConfig(entry: SensorConfig): DriverSensorConfig {
  const { driver, path, baudRate, busNumber, deviceAddress, options, ...rest } = entry;
  if (typeof driver !== 'string' || driver === '')
    throw new BridgeError('INVALID_PARAMS', 'sensors[]: every entry needs a driver name');
  if (path !== undefined) {
    if (typeof path !== 'string' || path === '')
      throw new BridgeError('INVALID_PARAMS', `sensors[] ${driver}: path must be a port name`);
    if (baudRate !== undefined && (typeof baudRate !== 'number' || !(baudRate > 0)))
      throw new BridgeError('INVALID_PARAMS', `sensors[] ${driver}: baudRate must be a positive number`);
    const merged = { ...rest, ...(isRecord(options) ? options : {}) };
    const serial: SerialSensorConfig = { driver, path };
    if (baudRate !== undefined) serial.baudRate = baudRate as number;
    if (Object.keys(merged).length > 0) serial.options = merged;
    return serial;
  }
  const usb: UsbSensorConfig = { driver };
  if (typeof busNumber === 'number') usb.busNumber = busNumber;
  if (typeof deviceAddress === 'number') usb.deviceAddress = deviceAddress;
  return usb;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every `sensors[]` entry as a driver config, refusing a driver the registry does not know
 * (INVALID_PARAMS naming the entry). The daemon's start and `doctor`'s config check both call
 * this, so doctor cannot pass a configuration that serve refuses.
 */
export function checkedDriverConfigs(entries: readonly SensorConfig[]): DriverSensorConfig[] {
  return entries.map((entry, i) => {
    if (!Object.hasOwn(SENSOR_DRIVERS, entry.driver))
      throw new BridgeError('INVALID_PARAMS', `sensors[${i}].driver: unknown driver "${entry.driver}"`, {
        known: Object.keys(SENSOR_DRIVERS),
      });
    return toDriverConfig(entry);
  });
}
