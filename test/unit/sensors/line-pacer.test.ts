import { describe, expect, it } from 'vitest';
import { type Clock, LinePacer, transmitMs } from '../../../simulator/sensors/line-pacer.ts';

/** A clock that only moves when someone sleeps on it (or the test advances it). */
class FakeClock implements Clock {
  t = 1_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

describe('baud timing model', () => {
  it('costs 10 bit times per byte (8N1)', () => {
    expect(transmitMs(5_760, 57_600)).toBe(1_000);
    expect(transmitMs(1, 9_600)).toBeCloseTo(1.0417, 4);
  });

  it('takes ~7 s for a Grow image upload at 57,600 baud and ~3.5 s at 115,200', async () => {
    for (const [baudRate, seconds] of [
      [57_600, 6.95],
      [115_200, 3.48],
    ] as const) {
      const clock = new FakeClock();
      const pacer = new LinePacer({ baudRate, clock });
      const start = clock.now();
      for (let i = 0; i < 288; i++) await pacer.pace(128 + 11); // 288 data packets of 128 bytes
      expect((clock.now() - start) / 1000).toBeCloseTo(seconds, 2);
    }
  });

  it('queues back-to-back writes behind each other, even when our own processing lags a little', async () => {
    const clock = new FakeClock();
    const pacer = new LinePacer({ baudRate: 9_600, clock });
    await pacer.pace(96); // 100 ms
    clock.t += 5; // processing between two writes of one burst
    await pacer.pace(96);
    expect(clock.t - 1_000).toBeCloseTo(200, 6); // the 5 ms overlapped with sending
    expect(clock.sleeps).toEqual([100, 95]);
  });

  it('banks no credit over idle time', async () => {
    const clock = new FakeClock();
    const pacer = new LinePacer({ baudRate: 9_600, clock });
    await pacer.pace(96);
    clock.t += 1_000; // the line was idle
    const before = clock.t;
    await pacer.pace(96);
    expect(clock.t - before).toBeCloseTo(100, 6);
  });

  it('follows a baud-rate change and does nothing when switched off', async () => {
    const clock = new FakeClock();
    const pacer = new LinePacer({ baudRate: 9_600, clock });
    pacer.baudRate = 115_200;
    await pacer.pace(52_122); // one GT-521 image data packet
    expect(clock.t - 1_000).toBeCloseTo(4_524.5, 0);
    pacer.enabled = false;
    const before = clock.t;
    await pacer.pace(1_000_000);
    expect(clock.t).toBe(before);
  });
});
