import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectServiceManager } from '../../../src/daemon/service-manager.ts';
import { silentLogger } from '../../../src/log/index.ts';

function fakeSd(intervalMs: number) {
  const sent: string[] = [];
  return {
    sent,
    sd: {
      ready: () => sent.push('READY=1'),
      watchdog: () => sent.push('WATCHDOG=1'),
      watchdogInterval: () => intervalMs,
      sendState: (s: string) => sent.push(s),
    },
  };
}

describe('connectServiceManager', () => {
  afterEach(() => vi.useRealTimers());

  it('does nothing and loads nothing without NOTIFY_SOCKET', () => {
    const load = vi.fn();
    const sm = connectServiceManager(silentLogger(), {}, load);
    sm.ready('x');
    expect(sm.active).toBe(false);
    expect(sm.startWatchdog()).toBe(0);
    expect(load).not.toHaveBeenCalled();
  });

  it('sends READY with a one-line STATUS, STOPPING, and pings at half the watchdog interval', () => {
    vi.useFakeTimers();
    const { sd, sent } = fakeSd(1000);
    const sm = connectServiceManager(silentLogger(), { NOTIFY_SOCKET: '/run/x' }, () => sd);
    sm.ready('listening on\n127.0.0.1:1');
    expect(sent).toEqual(['READY=1\nSTATUS=listening on 127.0.0.1:1']);
    expect(sm.startWatchdog()).toBe(1000);
    vi.advanceTimersByTime(2000);
    expect(sent.filter((s) => s === 'WATCHDOG=1')).toHaveLength(5); // one at start + every 500 ms
    sm.stopWatchdog();
    vi.advanceTimersByTime(2000);
    expect(sent.filter((s) => s === 'WATCHDOG=1')).toHaveLength(5);
    sm.stopping();
    expect(sent.at(-1)).toMatch(/^STOPPING=1/);
  });

  it('starts no timer when systemd asked for no watchdog', () => {
    vi.useFakeTimers();
    const { sd, sent } = fakeSd(0);
    const sm = connectServiceManager(silentLogger(), { NOTIFY_SOCKET: '/run/x' }, () => sd);
    expect(sm.startWatchdog()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([]);
  });

  it('survives a binding that does not load (logs it, stays inactive)', () => {
    const sm = connectServiceManager(silentLogger(), { NOTIFY_SOCKET: '/run/x' }, () => {
      throw new Error('no addon');
    });
    expect(sm.active).toBe(false);
    sm.ready('x');
  });
});
