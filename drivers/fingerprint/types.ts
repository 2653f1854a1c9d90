/**
 * The fingerprint sensor seam. Every driver (drivers/fingerprint/<model>.ts) and the in-process
 * simulated sensor (simulator/sensors/simulated-sensor.ts) implement FingerprintSensor; the capture
 * service in src/ sees only this file and registry.ts. Nothing here knows a packet format.
 */
import type { EventEmitter } from 'node:events';
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import type { SerialTransportFactory } from '../serial/types.ts';
import type { UsbBus } from '../usb/types.ts';

export type SensorKind = 'usb' | 'serial' | 'simulated';

export interface UsbId {
  vendorId: number;
  productId: number;
  /** model name for this id when a family shares one driver */
  model?: string;
}

export interface SerialDefaults {
  /** the rate the module talks at after power-on */
  baudRate: number;
  /** the rate the driver switches to for image transfer, when the module can change it */
  transferBaudRate?: number;
}

export interface SensorCapabilities {
  /** emits `preview` frames while waiting or capturing */
  preview: boolean;
  /** can tell a finger is on without capturing (otherwise waitForFinger captures to know) */
  fingerDetect: boolean;
  width: number;
  height: number;
  dpi: number;
}

export interface SensorDescriptor {
  /** registry name, used in configuration (`fingerprint.driver`) */
  id: string;
  name: string;
  kind: SensorKind;
  usbIds?: readonly UsbId[];
  serial?: SerialDefaults;
  capabilities: SensorCapabilities;
  /** true when the driver was never run against a device or a recording */
  experimental?: boolean;
}

export interface SensorEvents {
  'finger-placed': [];
  'finger-removed': [];
  preview: [image: GrayImage];
  /** the device was unplugged or its port went away; the sensor is closed */
  removed: [];
}

export interface WaitForFingerOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface CaptureOptions {
  signal?: AbortSignal;
  /**
   * How long capture waits for a finger when none is on yet (default 15 s). Capture right after
   * waitForFinger resolved uses the finger already detected.
   */
  timeoutMs?: number;
}

/**
 * One opened sensor. Operations run one at a time (a second one rejects with BUSY).
 * Errors are BridgeError: NO_SENSOR (open found nothing), SENSOR_REMOVED (unplugged, port gone),
 * CAPTURE_TIMEOUT (no finger in time), CANCELLED (signal aborted), TIMEOUT (the device stopped
 * answering), INTERNAL (protocol violation, with the detail in the message).
 */
export interface FingerprintSensor extends EventEmitter<SensorEvents> {
  readonly descriptor: SensorDescriptor;
  readonly isOpen: boolean;
  /**
   * The device's own serial number once open, when its protocol reports one (GT-521's Open,
   * the simulated sensor); receipts name the sensor by it. Undefined when unknown.
   */
  readonly serialNumber?: string;
  open(): Promise<void>;
  close(): Promise<void>;
  /** resolves when a finger is on the sensor; emits `finger-placed` */
  waitForFinger(options: WaitForFingerOptions): Promise<void>;
  /** waits for a finger if needed, then returns its image (8-bit grey, 0 = ridge) */
  capture(options?: CaptureOptions): Promise<GrayImage>;
}

export interface UsbSensorConfig {
  driver: string;
  /** pick one device when several match; the first match otherwise */
  busNumber?: number;
  deviceAddress?: number;
}

export interface SerialSensorConfig {
  driver: string;
  /** /dev/ttyUSB0, /dev/serial/by-id/..., COM3 */
  path: string;
  /** the module's current rate; the descriptor's default when omitted */
  baudRate?: number;
  /** driver-specific settings (Grow: packetSize, password, address; GT-521: transferBaudRate) */
  options?: Record<string, unknown>;
}

export type SensorConfig = UsbSensorConfig | SerialSensorConfig;

export function isSerialConfig(config: SensorConfig): config is SerialSensorConfig {
  return typeof (config as SerialSensorConfig).path === 'string';
}

/** Transports a driver uses instead of the real ones (tests, simulators). */
export interface SensorDeps {
  usbBus?: UsbBus;
  serialTransportFactory?: SerialTransportFactory;
}

/** A driver class as the registry holds it: a descriptor plus a constructor taking the config. */
export interface SensorClass<C extends SensorConfig = SensorConfig> {
  readonly descriptor: SensorDescriptor;
  new (config: C, deps?: SensorDeps): FingerprintSensor;
}
