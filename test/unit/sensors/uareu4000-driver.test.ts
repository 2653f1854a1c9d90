/**
 * The EXPERIMENTAL U.are.U driver against a scripted device: the exact control transfers it sends
 * (byte vectors), the interrupt handling, descrambling with keys fetched through 0x33/0x34, and
 * unplug. No recording of a real device exists; see docs/sensors.md.
 */
import { describe, expect, it } from 'vitest';
import { UareU4000Sensor } from '../../../drivers/fingerprint/uareu4000.ts';
import { URU_HEIGHT, URU_WIDTH, UruBlockFlag } from '../../../protocols/sensors/uareu4000.ts';
import { FakeUru } from './fake-uareu.ts';
import { FakeUsbBus, FakeUsbDevice } from './fake-usb.ts';

const pixel = (x: number, y: number) => (x * 3 + y * 5) & 0xff;

function rig(productId: number, fake: FakeUru) {
  const bus = new FakeUsbBus();
  const device = bus.plug(
    new FakeUsbDevice({ vendorId: 0x05ba, productId, busNumber: 1, deviceAddress: 7 }, fake),
  );
  const sensor = new UareU4000Sensor({ driver: 'uareu4000' }, { usbBus: bus });
  return { bus, device, sensor };
}

describe('U.are.U 4000B driver (experimental)', () => {
  it('powers up with the documented register writes and waits for the scan-power interrupt', async () => {
    const fake = new FakeUru({ lines: 289, blocks: [[0, 289]], pixel });
    const { device, sensor } = rig(0x000a, fake);
    await sensor.open();
    const controls = device.log.filter((t) => t.kind !== 'in');
    expect(controls).toEqual([
      { kind: 'control-in', bmRequestType: 0xc0, bRequest: 4, wValue: 0x07, wIndex: 0, length: 1 }, // read HWSTAT: 80
      { kind: 'control-out', bmRequestType: 0x40, bRequest: 4, wValue: 0x07, wIndex: 0, data: '00' }, // power up
      { kind: 'control-in', bmRequestType: 0xc0, bRequest: 4, wValue: 0x07, wIndex: 0, length: 1 }, // low-power bit clear?
    ]);
    expect(device.log.some((t) => t.kind === 'in' && t.endpoint === 0x81 && t.length === 64)).toBe(true);
    await sensor.close();
    expect(device.log.at(-1)).toEqual({
      kind: 'control-out',
      bmRequestType: 0x40,
      bRequest: 4,
      wValue: 0x4e,
      wIndex: 0,
      data: '70',
    });
    expect(device.claimed).toBe(false);
  });

  it('powers a running device down first, then up', async () => {
    const fake = new FakeUru({ lines: 289, blocks: [[0, 289]], pixel, initialHwstat: 0x01 });
    const { device, sensor } = rig(0x000a, fake);
    await sensor.open();
    const writes = device.log
      .filter((t) => t.kind === 'control-out')
      .map((t) => (t.kind === 'control-out' ? t.data : ''));
    expect(writes.slice(0, 2)).toEqual(['81', '01']);
    await sensor.close();
  });

  it('waits for finger-on, captures, fetches the key, descrambles and inverts', async () => {
    const fake = new FakeUru({
      lines: 289,
      blocks: [
        [0, 100],
        [UruBlockFlag.ENCRYPTED, 100],
        [UruBlockFlag.CHANGE_KEY | UruBlockFlag.ENCRYPTED, 89],
      ],
      pixel,
      keyNumber: 5,
    });
    const { device, sensor } = rig(0x000a, fake);
    await sensor.open();
    setTimeout(() => fake.placeFinger(), 60);
    const image = await sensor.capture({ timeoutMs: 2_000 });
    expect([image.width, image.height, image.dpi]).toEqual([URU_WIDTH, URU_HEIGHT, 512]);

    let wrong = 0;
    for (let y = 0; y < 289; y++) {
      for (let x = 0; x < URU_WIDTH; x++) {
        // the last byte of a scrambled block is implicitly zero (white once inverted)
        const lastOfBlock = (y === 199 || y === 288) && x === URU_WIDTH - 1;
        const expected = lastOfBlock ? 255 : 255 - pixel(x, y);
        if (image.pixels[y * URU_WIDTH + x] !== expected) wrong++;
      }
    }
    expect(wrong).toBe(0);

    const modeWrites = device.log.flatMap((t) =>
      t.kind === 'control-out' && t.wValue === 0x4e ? [t.data] : [],
    );
    expect(modeWrites).toEqual(['10', '20', '12']);
    const keyRequests = device.log.flatMap((t) =>
      t.kind === 'control-out' && t.wValue === 0x33 ? [t.data.slice(0, 2)] : [],
    );
    expect(keyRequests).toEqual(['05', '06']); // the frame's key number, then the next at the key change
    expect(
      device.log.filter((t) => t.kind === 'control-in' && t.wValue === 0x34 && t.length === 4),
    ).toHaveLength(2);
    expect(
      device.log.some(
        (t) => t.kind === 'in' && t.endpoint === 0x82 && t.length === 64 + URU_WIDTH * URU_HEIGHT,
      ),
    ).toBe(true);
    await sensor.close();
  });

  it('rotates the original 4000’s image by 180 degrees', async () => {
    const fake = new FakeUru({ lines: 289, blocks: [[0, 289]], pixel });
    const { sensor } = rig(0x0007, fake);
    await sensor.open();
    fake.placeFinger();
    const image = await sensor.capture({ timeoutMs: 1_000 });
    expect(image.pixels[URU_WIDTH * URU_HEIGHT - 1]).toBe(255 - pixel(0, 0));
    await sensor.close();
  });

  it('gives CAPTURE_TIMEOUT without a finger and SENSOR_REMOVED when unplugged while waiting', async () => {
    const fake = new FakeUru({ lines: 289, blocks: [[0, 289]], pixel });
    const { bus, device, sensor } = rig(0x000a, fake);
    await sensor.open();
    await expect(sensor.capture({ timeoutMs: 150 })).rejects.toMatchObject({ code: 'CAPTURE_TIMEOUT' });
    const removed = new Promise<void>((resolve) => sensor.once('removed', () => resolve()));
    setTimeout(() => bus.unplug(device), 50);
    await expect(sensor.waitForFinger({ timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'SENSOR_REMOVED',
    });
    await removed;
    expect(sensor.isOpen).toBe(false);
    expect(bus.watcherCount).toBe(0);
  });

  it('gives NO_SENSOR when no scan-power interrupt ever comes', async () => {
    const fake = new FakeUru({ lines: 289, blocks: [[0, 289]], pixel });
    fake.controlOut = (register, data) => {
      if (register === 0x07) fake.hwstat = data[0]; // powers up but never interrupts
    };
    const { sensor } = rig(0x000a, fake);
    await expect(sensor.open()).rejects.toMatchObject({ code: 'NO_SENSOR', message: /scan-power/ });
  });
});
