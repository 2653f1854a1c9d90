import { afterEach, describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../../protocols/errors.ts';
import { FingerControl } from '../../../../simulator/sensors/finger-control.ts';
import { SimulatedSensor } from '../../../../simulator/sensors/simulated-sensor.ts';
import { SensorManager } from '../../../../src/devices/sensors.ts';
import type { Notification } from '../../../../src/services/types.ts';
import { ridgePattern } from '../../sensors/pattern-source.ts';
import { FakeHotplugBus, NB1010_AT_1_4, NOT_A_SENSOR, presenceOpener } from './fakes.ts';

function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > end) reject(new Error('condition not reached in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isBridgeError(e) ? e.code : 'not a BridgeError';
  }
  return undefined;
}

describe('SensorManager', () => {
  let manager: SensorManager | undefined;
  afterEach(async () => {
    await manager?.close();
    manager = undefined;
  });

  function make(opts: ConstructorParameters<typeof SensorManager>[0]) {
    manager = new SensorManager({ usbBus: null, reopenIntervalMs: 20, ...opts });
    const notes: Notification[] = [];
    manager.onNotification((n) => notes.push(n));
    return { manager, notes };
  }

  it('opens configured serial sensors by port, names them by driver and port, and lists them', async () => {
    const opener = presenceOpener();
    opener.present.add('/dev/ttyUSB0');
    const { manager, notes } = make({
      configs: [{ driver: 'grow', path: '/dev/ttyUSB0', baudRate: 115200, packetSize: 256 }],
      open: opener.open,
    });
    await manager.start();
    expect(opener.made[0].config).toEqual({
      driver: 'grow',
      path: '/dev/ttyUSB0',
      baudRate: 115200,
      options: { packetSize: 256 },
    });
    expect(manager.list()).toEqual([
      { id: 'grow:/dev/ttyUSB0', driver: 'grow', name: expect.any(String), state: 'ready' },
    ]);
    expect(notes.map((n) => [n.method, n.params.id])).toEqual([['sensor.added', 'grow:/dev/ttyUSB0']]);
    expect(manager.get()).toBe(opener.made[0]);
    expect(manager.get('grow:/dev/ttyUSB0')).toBe(opener.made[0]);
    expect(codeOf(() => manager.get('grow:/dev/ttyS9'))).toBe('NO_SENSOR');
    const caps = manager.capabilities()[0];
    expect([caps.width, caps.height, caps.dpi]).toEqual([256, 288, 500]);
  });

  it('says NO_SENSOR when there is none, and refuses unknown drivers naming the entry', async () => {
    const { manager } = make({});
    await manager.start();
    expect(codeOf(() => manager.get())).toBe('NO_SENSOR');
    expect(codeOf(() => manager.acquire())).toBe('NO_SENSOR');
    const bad = new SensorManager({ usbBus: null, configs: [{ driver: 'nope', path: '/dev/x' }] });
    await expect(bad.start()).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('sensors[0]'),
    });
  });

  it('holds a sensor for one operation: a second acquire is BUSY until release', async () => {
    const opener = presenceOpener();
    opener.present.add('/dev/ttyUSB0');
    const { manager } = make({ configs: [{ driver: 'grow', path: '/dev/ttyUSB0' }], open: opener.open });
    await manager.start();
    const lease = manager.acquire();
    expect(manager.list()[0].state).toBe('busy');
    expect(codeOf(() => manager.acquire())).toBe('BUSY');
    expect(codeOf(() => manager.acquire('grow:/dev/ttyUSB0'))).toBe('BUSY');
    lease.release();
    lease.release();
    expect(manager.list()[0].state).toBe('ready');
    manager.acquire('grow:/dev/ttyUSB0').release();
  });

  it('picks the first free sensor when no id is given', async () => {
    const opener = presenceOpener();
    opener.present.add('/dev/ttyUSB0');
    opener.present.add('/dev/ttyUSB1');
    const { manager } = make({
      configs: [
        { driver: 'grow', path: '/dev/ttyUSB0' },
        { driver: 'gt521', path: '/dev/ttyUSB1' },
      ],
      open: opener.open,
    });
    await manager.start();
    const a = manager.acquire();
    const b = manager.acquire();
    expect([a.id, b.id].sort()).toEqual(['grow:/dev/ttyUSB0', 'gt521:/dev/ttyUSB1']);
    expect(codeOf(() => manager.acquire())).toBe('BUSY');
  });

  it('lists an absent serial sensor and opens it when its port appears', async () => {
    const opener = presenceOpener();
    const { manager, notes } = make({
      configs: [{ driver: 'grow', path: '/dev/ttyUSB0' }],
      open: opener.open,
    });
    await manager.start();
    expect(manager.list()[0].state).toBe('absent');
    expect(codeOf(() => manager.get())).toBe('NO_SENSOR');
    opener.present.add('/dev/ttyUSB0');
    await until(() => manager.list()[0].state === 'ready');
    expect(notes.map((n) => n.method)).toEqual(['sensor.added']);
  });

  it('announces an unplugged serial sensor and re-opens it when it comes back', async () => {
    const opener = presenceOpener();
    opener.present.add('/dev/ttyUSB0');
    const { manager, notes } = make({
      configs: [{ driver: 'grow', path: '/dev/ttyUSB0' }],
      open: opener.open,
    });
    await manager.start();
    opener.present.delete('/dev/ttyUSB0');
    opener.made[0].unplug();
    expect(manager.list()[0].state).toBe('absent');
    expect(notes.at(-1)).toEqual({
      method: 'sensor.removed',
      params: { id: 'grow:/dev/ttyUSB0', driver: 'grow', name: expect.any(String) },
    });
    await new Promise((r) => setTimeout(r, 60));
    expect(opener.made).toHaveLength(1);
    opener.present.add('/dev/ttyUSB0');
    await until(() => manager.list()[0].state === 'ready');
    expect(opener.made).toHaveLength(2);
    expect(manager.get()).toBe(opener.made[1]);
    expect(notes.map((n) => n.method)).toEqual(['sensor.added', 'sensor.removed', 'sensor.added']);
  });

  it('finds USB sensors by id without configuration and follows hotplug', async () => {
    const opener = presenceOpener();
    opener.present.add('usb-1-4');
    opener.present.add('usb-1-7');
    const bus = new FakeHotplugBus();
    bus.devices = [NOT_A_SENSOR, NB1010_AT_1_4];
    const { manager, notes } = make({ usbBus: bus, open: opener.open });
    await manager.start();
    expect(manager.list().map((s) => [s.id, s.state])).toEqual([['nb1010:usb-1-4', 'ready']]);
    const second = { ...NB1010_AT_1_4, deviceAddress: 7 };
    bus.plug(second);
    await until(() => manager.list().length === 2);
    bus.unplug(NB1010_AT_1_4);
    expect(manager.list().map((s) => s.id)).toEqual(['nb1010:usb-1-7']);
    expect(opener.made[0].isOpen).toBe(false);
    expect(notes.map((n) => `${n.method} ${n.params.id}`)).toEqual([
      'sensor.added nb1010:usb-1-4',
      'sensor.added nb1010:usb-1-7',
      'sensor.removed nb1010:usb-1-4',
    ]);
    // the driver noticing the unplug itself (a failed transfer) is announced once too
    opener.made[1].unplug();
    expect(manager.list()).toEqual([]);
    expect(notes.filter((n) => n.method === 'sensor.removed')).toHaveLength(2);
  });

  it('manages an injected simulated sensor like a device: unplug, plug back in', async () => {
    const control = new FingerControl();
    const sensor = new SimulatedSensor({ images: ridgePattern, control });
    const { manager, notes } = make({});
    await manager.start();
    await manager.addSensor(sensor);
    expect(manager.list()).toEqual([
      { id: 'simulated', driver: 'simulated', name: expect.any(String), state: 'ready' },
    ]);
    expect(manager.capabilities()[0]).toMatchObject({
      id: 'simulated',
      preview: true,
      fingerDetect: true,
      dpi: 500,
    });
    control.unplug();
    await until(() => manager.list()[0].state === 'absent');
    await new Promise((r) => setTimeout(r, 60));
    expect(manager.list()[0].state).toBe('absent');
    control.plugIn();
    await until(() => manager.list()[0].state === 'ready');
    expect(manager.get()).toBe(sensor);
    expect(notes.map((n) => n.method)).toEqual(['sensor.added', 'sensor.removed', 'sensor.added']);
  });
});
