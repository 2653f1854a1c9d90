/**
 * The fingerprint sensors the daemon can use right now. Serial sensors come from `config.sensors`
 * (a UART module cannot be discovered) and are re-opened when their port comes back; USB sensors are
 * found by their USB ids and followed through hotplug; the simulated sensor of `serve --simulate` is
 * injected and handled like any other, so the services run the same code on both.
 *
 * It also owns the "one operation per sensor" rule (acquire / release), so that device.list can say
 * which sensor is busy and a second capture on it gets BUSY before touching the device.
 */
import { EventEmitter } from 'node:events';
import {
  type DiscoveredUsbSensor,
  discoverUsbSensors,
  openSensor,
  SENSOR_DRIVERS,
  usbSensorConfig,
  watchUsbSensors,
} from '../../drivers/fingerprint/registry.ts';
import type {
  SensorConfig as DriverSensorConfig,
  FingerprintSensor,
  SensorCapabilities,
  SensorDeps,
} from '../../drivers/fingerprint/types.ts';
import { libusbBus } from '../../drivers/usb/libusb-bus.ts';
import type { UsbBus } from '../../drivers/usb/types.ts';
import { BridgeError, toBridgeError } from '../../protocols/errors.ts';
import type { SensorConfig } from '../config/types.ts';
import type { Notification } from '../services/types.ts';
import { checkedDriverConfigs, sensorIdOf, usbSensorId } from './sensor-ids.ts';

export type SensorState = 'ready' | 'busy' | 'absent';

/** device.list entry (api-v1: id, driver, state) */
export interface SensorListEntry {
  id: string;
  driver: string;
  name: string;
  state: SensorState;
}

/** system.info entry: what each sensor can do */
export interface SensorCapabilityEntry extends SensorCapabilities {
  id: string;
  driver: string;
  name: string;
}

/** Which device took a finger, as receipts name it (api-v1 "Receipts"). */
export interface SensorIdentity {
  driver: string;
  /** the model's name (the driver's, or the USB id's when a family shares one driver) */
  model: string;
  /** the device's own serial number, when its protocol reports one */
  serial?: string;
}

/** A sensor held for one operation; release() makes it available again. */
export interface SensorLease {
  id: string;
  sensor: FingerprintSensor;
  release(): void;
}

export type SensorLog = (
  level: 'info' | 'warn' | 'error',
  msg: string,
  extra?: Record<string, unknown>,
) => void;

export interface SensorManagerOptions {
  /** `config.sensors` */
  configs?: readonly SensorConfig[];
  /** the USB bus to discover and watch; null = no USB discovery (simulation, tests) */
  usbBus?: UsbBus | null;
  /** transports for the drivers (tests) */
  deps?: SensorDeps;
  /** how the manager opens a driver (default: the registry's openSensor) */
  open?: (config: DriverSensorConfig, deps?: SensorDeps) => Promise<FingerprintSensor>;
  /** pause between attempts to re-open a sensor that went away (default 2 s) */
  reopenIntervalMs?: number;
  log?: SensorLog;
}

interface Slot {
  id: string;
  driver: string;
  name: string;
  capabilities: SensorCapabilities;
  sensor?: FingerprintSensor;
  busy: boolean;
  /** how to get the sensor back after it went away; absent = forget the slot (a USB device) */
  reopen?: () => Promise<FingerprintSensor>;
  retry?: NodeJS.Timeout;
  detach?: () => void;
}

const NOTIFY = 'notification';

export class SensorManager {
  private readonly slots = new Map<string, Slot>();
  private readonly events = new EventEmitter<{ [NOTIFY]: [Notification] }>();
  private readonly open: (config: DriverSensorConfig, deps?: SensorDeps) => Promise<FingerprintSensor>;
  private readonly reopenMs: number;
  private readonly log: SensorLog;
  private stopWatching?: () => void;
  private closed = false;

  constructor(private readonly options: SensorManagerOptions = {}) {
    this.events.setMaxListeners(0);
    this.open = options.open ?? openSensor;
    this.reopenMs = options.reopenIntervalMs ?? 2000;
    this.log = options.log ?? (() => {});
  }

  /**
   * Opens the configured serial sensors and the connected USB ones and starts following hotplug.
   * A configured sensor that is absent is listed as `absent` and retried in the background; an
   * unknown driver name is a configuration error (INVALID_PARAMS naming the entry).
   */
  async start(): Promise<void> {
    const configs = checkedDriverConfigs(this.options.configs ?? []);
    const opening: Promise<void>[] = [];
    for (const config of configs) {
      // USB sensors are found by id (below); a USB entry only says the driver is wanted.
      if (!('path' in config)) continue;
      const cls = SENSOR_DRIVERS[config.driver];
      const slot = this.addSlot(
        sensorIdOf(config),
        config.driver,
        cls.descriptor.name,
        cls.descriptor.capabilities,
      );
      slot.reopen = () => this.open(config, this.options.deps);
      opening.push(this.tryOpen(slot));
    }
    if (this.options.usbBus !== null) {
      for (const found of this.discover()) opening.push(this.openUsb(found));
      try {
        this.stopWatching = watchUsbSensors((event, found) => {
          if (event === 'attached') void this.openUsb(found);
          else this.forget(usbSensorId(found));
        }, this.options.usbBus ?? libusbBus());
      } catch (e) {
        this.log('warn', 'USB hotplug unavailable', { error: toBridgeError(e).message });
      }
    }
    await Promise.all(opening);
  }

  /**
   * Adds a sensor made elsewhere (the simulated one). It is opened now when it is not open yet;
   * after a `removed` it is re-opened with its own open(), as a re-plugged device would be.
   */
  async addSensor(sensor: FingerprintSensor, id: string = sensor.descriptor.id): Promise<void> {
    const d = sensor.descriptor;
    const slot = this.addSlot(id, d.id, d.name, d.capabilities);
    slot.reopen = async () => {
      await sensor.open();
      return sensor;
    };
    if (sensor.isOpen) this.attach(slot, sensor);
    else await this.tryOpen(slot);
  }

  /** The sensor to use: `id`'s, or the first open one. NO_SENSOR when there is none. */
  get(id?: string): FingerprintSensor {
    return this.pick(id, false).sensor as FingerprintSensor;
  }

  /** Holds a sensor for one operation: NO_SENSOR when absent, BUSY while another operation runs. */
  acquire(id?: string): SensorLease {
    const slot = this.pick(id, true);
    const sensor = slot.sensor as FingerprintSensor;
    slot.busy = true;
    let released = false;
    return {
      id: slot.id,
      sensor,
      release: () => {
        if (released) return;
        released = true;
        slot.busy = false;
      },
    };
  }

  /** device.list: every sensor known, open or not */
  list(): SensorListEntry[] {
    return [...this.slots.values()].map((s) => ({
      id: s.id,
      driver: s.driver,
      name: s.name,
      state: !s.sensor ? 'absent' : s.busy ? 'busy' : 'ready',
    }));
  }

  /** system.info: the capabilities of every sensor known */
  capabilities(): SensorCapabilityEntry[] {
    return [...this.slots.values()].map((s) => ({
      id: s.id,
      driver: s.driver,
      name: s.name,
      ...s.capabilities,
    }));
  }

  /** driver, model and serial of a known sensor (undefined for an id never seen) */
  identity(id: string): SensorIdentity | undefined {
    const s = this.slots.get(id);
    if (!s) return undefined;
    const serial = s.sensor?.serialNumber;
    return { driver: s.driver, model: s.name, ...(serial ? { serial } : {}) };
  }

  /** sensor.added / sensor.removed; returns the unsubscribe function */
  onNotification(listener: (n: Notification) => void): () => void {
    this.events.on(NOTIFY, listener);
    return () => this.events.off(NOTIFY, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatching?.();
    const closing: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      clearTimeout(slot.retry);
      slot.detach?.();
      if (slot.sensor) closing.push(slot.sensor.close().catch(() => {}));
      slot.sensor = undefined;
    }
    await Promise.all(closing);
  }

  private pick(id: string | undefined, forOperation: boolean): Slot {
    if (id !== undefined) {
      const slot = this.slots.get(id);
      if (!slot?.sensor) throw new BridgeError('NO_SENSOR', 'no such fingerprint sensor', { sensorId: id });
      if (forOperation && slot.busy) throw new BridgeError('BUSY', `sensor ${id} is busy`);
      return slot;
    }
    const open = [...this.slots.values()].filter((s) => s.sensor);
    if (open.length === 0) throw new BridgeError('NO_SENSOR');
    if (!forOperation) return open[0];
    const free = open.find((s) => !s.busy);
    if (!free) throw new BridgeError('BUSY', 'every fingerprint sensor is busy');
    return free;
  }

  private addSlot(id: string, driver: string, name: string, capabilities: SensorCapabilities): Slot {
    const existing = this.slots.get(id);
    if (existing) return existing;
    const slot: Slot = { id, driver, name, capabilities, busy: false };
    this.slots.set(id, slot);
    return slot;
  }

  private discover(): DiscoveredUsbSensor[] {
    try {
      // libusb is loaded on first use only, so serial-only and simulated setups never need it
      return discoverUsbSensors(this.options.usbBus ?? libusbBus());
    } catch (e) {
      this.log('warn', 'USB sensor discovery failed', { error: toBridgeError(e).message });
      return [];
    }
  }

  private async openUsb(found: DiscoveredUsbSensor): Promise<void> {
    const id = usbSensorId(found);
    if (this.slots.get(id)?.sensor) return;
    let sensor: FingerprintSensor;
    try {
      sensor = await this.open(usbSensorConfig(found), this.options.deps);
    } catch (e) {
      // A device that cannot be opened (permissions, claimed elsewhere) is not usable: say why once.
      this.log('warn', 'USB fingerprint sensor could not be opened', {
        sensorId: id,
        error: toBridgeError(e).message,
      });
      return;
    }
    // Listed only once usable: a USB sensor that is not open is simply not there.
    const cls = SENSOR_DRIVERS[found.driver];
    this.attach(this.addSlot(id, found.driver, found.name, cls.descriptor.capabilities), sensor);
  }

  private async tryOpen(slot: Slot): Promise<void> {
    if (this.closed || !slot.reopen) return;
    try {
      this.attach(slot, await slot.reopen());
    } catch (e) {
      const error = toBridgeError(e);
      if (error.code !== 'NO_SENSOR')
        this.log('warn', 'fingerprint sensor failed to open', { sensorId: slot.id, error: error.message });
      this.scheduleReopen(slot);
    }
  }

  private scheduleReopen(slot: Slot): void {
    if (this.closed || !slot.reopen || slot.retry) return;
    slot.retry = setTimeout(() => {
      slot.retry = undefined;
      void this.tryOpen(slot);
    }, this.reopenMs);
    // Waiting for a scanner to come back must not keep a CLI run alive.
    slot.retry.unref?.();
  }

  private attach(slot: Slot, sensor: FingerprintSensor): void {
    if (this.closed) {
      void sensor.close().catch(() => {});
      return;
    }
    slot.detach?.();
    slot.sensor = sensor;
    slot.busy = false;
    const onRemoved = () => this.lost(slot, sensor);
    sensor.on('removed', onRemoved);
    slot.detach = () => sensor.off('removed', onRemoved);
    this.log('info', 'fingerprint sensor added', { sensorId: slot.id, driver: slot.driver });
    this.notify('sensor.added', slot);
  }

  /** the sensor of `slot` reported it went away */
  private lost(slot: Slot, sensor: FingerprintSensor): void {
    if (slot.sensor !== sensor) return;
    slot.detach?.();
    slot.detach = undefined;
    slot.sensor = undefined;
    this.log('info', 'fingerprint sensor removed', { sensorId: slot.id, driver: slot.driver });
    this.notify('sensor.removed', slot);
    if (slot.reopen) this.scheduleReopen(slot);
    else this.slots.delete(slot.id);
  }

  /** hotplug said a USB sensor left (its driver may learn of it later, or never if it was idle) */
  private forget(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    const sensor = slot.sensor;
    if (sensor) {
      this.lost(slot, sensor);
      void sensor.close().catch(() => {});
    } else this.slots.delete(id);
  }

  private notify(method: 'sensor.added' | 'sensor.removed', slot: Slot): void {
    this.events.emit(NOTIFY, { method, params: { id: slot.id, driver: slot.driver, name: slot.name } });
  }
}
