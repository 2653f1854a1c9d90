import { describe, expect, it } from 'vitest';
import { Nb1010Sensor } from '../../../drivers/fingerprint/nb1010.ts';
import {
  discoverUsbSensors,
  openSensor,
  SENSOR_DRIVERS,
  sensorDescriptors,
  usbSensorConfig,
  watchUsbSensors,
} from '../../../drivers/fingerprint/registry.ts';
import { fromHex } from '../../../protocols/sensors/bytes.ts';
import { encodeNb1010Partial, NB1010_CHECK_FINGER } from '../../../protocols/sensors/nb1010.ts';
import { FakeUsbBus, FakeUsbDevice } from './fake-usb.ts';

const NO_FINGER = fromHex('80370100100000000000000010000000');

/** An NB-1010 that answers every check with "no finger" until told otherwise. */
function nb1010Behaviour(state: { finger: boolean }) {
  let lastOut = new Uint8Array(0);
  let partial = 0;
  return {
    transferOut: (_ep: number, data: Uint8Array) => {
      lastOut = data.slice();
      if (data[1] === 0x12) partial = 0;
    },
    transferIn: (_ep: number, length: number) => {
      if (length === 540) return encodeNb1010Partial(partial, new Uint8Array(512).fill(partial++));
      const reply = NO_FINGER.slice();
      reply[2] = lastOut[2];
      if (lastOut[1] === NB1010_CHECK_FINGER[1] && state.finger) reply[12] = 0xf7;
      return reply;
    },
    controlIn: () => new Uint8Array(0),
    controlOut: () => undefined,
  };
}

function nb1010(bus: FakeUsbBus, address: number, state = { finger: false }) {
  return bus.plug(
    new FakeUsbDevice(
      { vendorId: 0x298d, productId: 0x1010, busNumber: 1, deviceAddress: address },
      nb1010Behaviour(state),
    ),
  );
}

describe('sensor registry', () => {
  it('lists one descriptor per driver, each with its capabilities', () => {
    expect(Object.keys(SENSOR_DRIVERS)).toEqual(['nb1010', 'grow', 'gt521', 'uareu4000']);
    const byId = Object.fromEntries(sensorDescriptors().map((d) => [d.id, d]));
    expect(byId.nb1010).toMatchObject({ kind: 'usb', capabilities: { width: 256, height: 180 } });
    expect(byId.grow).toMatchObject({ kind: 'serial', serial: { baudRate: 57_600 } });
    expect(byId.gt521).toMatchObject({
      kind: 'serial',
      serial: { baudRate: 9_600, transferBaudRate: 115_200 },
    });
    expect(byId.uareu4000.experimental).toBe(true);
    for (const [name, cls] of Object.entries(SENSOR_DRIVERS)) expect(cls.descriptor.id).toBe(name);
  });

  it('discovers known USB sensors by their ids and ignores other devices', () => {
    const bus = new FakeUsbBus();
    nb1010(bus, 3);
    bus.plug(
      new FakeUsbDevice(
        { vendorId: 0x1d6b, productId: 0x0002, busNumber: 1, deviceAddress: 1 },
        nb1010Behaviour({ finger: false }),
      ),
    );
    bus.plug(
      new FakeUsbDevice(
        { vendorId: 0x05ba, productId: 0x000a, busNumber: 2, deviceAddress: 4 },
        nb1010Behaviour({ finger: false }),
      ),
    );
    const found = discoverUsbSensors(bus);
    expect(found.map((s) => [s.driver, s.model, s.experimental])).toEqual([
      ['nb1010', undefined, false],
      ['uareu4000', 'U.are.U 4000B', true],
    ]);
    expect(usbSensorConfig(found[1])).toEqual({ driver: 'uareu4000', busNumber: 2, deviceAddress: 4 });
  });

  it('reports hotplug of known sensors only', () => {
    const bus = new FakeUsbBus();
    const seen: string[] = [];
    const stop = watchUsbSensors((event, sensor) => seen.push(`${event}:${sensor.driver}`), bus);
    const device = nb1010(bus, 5);
    bus.plug(
      new FakeUsbDevice(
        { vendorId: 0x1234, productId: 1, busNumber: 1, deviceAddress: 6 },
        nb1010Behaviour({ finger: false }),
      ),
    );
    bus.unplug(device);
    stop();
    nb1010(bus, 7);
    expect(seen).toEqual(['attached:nb1010', 'detached:nb1010']);
  });

  it('opens the configured USB sensor, the chosen one when several are connected', async () => {
    const bus = new FakeUsbBus();
    const first = nb1010(bus, 3);
    const second = nb1010(bus, 9);
    const sensor = await openSensor({ driver: 'nb1010', busNumber: 1, deviceAddress: 9 }, { usbBus: bus });
    expect(sensor).toBeInstanceOf(Nb1010Sensor);
    expect(second.claimed).toBe(true);
    expect(first.claimed).toBe(false);
    await sensor.close();
  });

  it('refuses unknown drivers and configs of the wrong kind; NO_SENSOR when nothing is connected', async () => {
    const bus = new FakeUsbBus();
    await expect(openSensor({ driver: 'futronic' }, { usbBus: bus })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(openSensor({ driver: 'toString' }, { usbBus: bus })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(openSensor({ driver: 'grow' }, { usbBus: bus })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(
      openSensor({ driver: 'nb1010', path: '/dev/ttyUSB0' }, { usbBus: bus }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(openSensor({ driver: 'nb1010' }, { usbBus: bus })).rejects.toMatchObject({
      code: 'NO_SENSOR',
    });
    await expect(openSensor({ driver: 'grow', path: '/nonexistent/tty' })).rejects.toMatchObject({
      code: 'NO_SENSOR',
    });
  });
});

describe('NB-1010 driver on a scripted bus', () => {
  it('polls the finger check every 50 ms and gives CAPTURE_TIMEOUT', async () => {
    const bus = new FakeUsbBus();
    const device = nb1010(bus, 3);
    const sensor = await openSensor({ driver: 'nb1010' }, { usbBus: bus });
    await expect(sensor.capture({ timeoutMs: 250 })).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT' });
    const checks = device.log.filter((t) => t.kind === 'out').length;
    expect(checks).toBeGreaterThanOrEqual(2);
    expect(checks).toBeLessThanOrEqual(7);
    await sensor.close();
  });

  it('emits finger-placed, captures, and refuses a second operation while busy', async () => {
    const bus = new FakeUsbBus();
    const state = { finger: false };
    nb1010(bus, 3, state);
    const sensor = await openSensor({ driver: 'nb1010' }, { usbBus: bus });
    const events: string[] = [];
    sensor.on('finger-placed', () => events.push('placed'));
    const waiting = sensor.waitForFinger({ timeoutMs: 2_000 });
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'BUSY' });
    setTimeout(() => {
      state.finger = true;
    }, 80);
    await waiting;
    const image = await sensor.capture();
    expect(events).toEqual(['placed']);
    expect(image.pixels[2 * 256 * 89]).toBe(89);
    await sensor.close();
  });

  it('gives SENSOR_REMOVED on unplug (hotplug detach), then refuses further work', async () => {
    const bus = new FakeUsbBus();
    const device = nb1010(bus, 3);
    const sensor = await openSensor({ driver: 'nb1010' }, { usbBus: bus });
    const removed = new Promise<void>((resolve) => sensor.once('removed', () => resolve()));
    setTimeout(() => bus.unplug(device), 60);
    await expect(sensor.waitForFinger({ timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'SENSOR_REMOVED',
    });
    await removed;
    await expect(sensor.capture()).rejects.toMatchObject({ code: 'SENSOR_REMOVED' });
    expect(bus.watcherCount).toBe(0);
  });

  it('gives CANCELLED when the signal aborts', async () => {
    const bus = new FakeUsbBus();
    nb1010(bus, 3);
    const sensor = await openSensor({ driver: 'nb1010' }, { usbBus: bus });
    await expect(sensor.capture({ signal: AbortSignal.timeout(80) })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    await sensor.close();
  });
});
