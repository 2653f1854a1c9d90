import { createRequire } from 'node:module';
import type { Logger } from '../log/index.ts';

/**
 * What the daemon tells systemd (sd_notify(3)) when it runs as a `Type=notify` service: READY=1 once
 * the server listens, STATUS= lines, WATCHDOG=1 pings, STOPPING=1 on shutdown. Outside systemd (no
 * NOTIFY_SOCKET) every call does nothing.
 */
export interface ServiceManager {
  /** true when NOTIFY_SOCKET names a socket and the sd_notify binding loaded */
  readonly active: boolean;
  ready(status: string): void;
  status(text: string): void;
  stopping(): void;
  /**
   * Pings WATCHDOG=1 from an event-loop timer at half the interval systemd asked for
   * ($WATCHDOG_USEC): a loop blocked for longer than the interval sends nothing, and systemd kills
   * and restarts the daemon. Returns the interval in ms (0: no watchdog asked for).
   */
  startWatchdog(): number;
  stopWatchdog(): void;
}

/** The part of the `sd-notify` package (libsystemd's sd_notify) used here. */
interface SdNotify {
  ready(): void;
  watchdog(): void;
  /** ms from $WATCHDOG_USEC (0 when unset or meant for another pid: sd_watchdog_enabled) */
  watchdogInterval(): number;
  sendState(state: string): void;
}

const INACTIVE: ServiceManager = {
  active: false,
  ready() {},
  status() {},
  stopping() {},
  startWatchdog: () => 0,
  stopWatchdog() {},
};

/**
 * Loads libsystemd's sd_notify (through the `sd-notify` addon) only when systemd asked for
 * notifications, so a developer machine without the addon built still runs `serve`. Under systemd a
 * binding that fails to load is logged as an error: systemd then times the start out, which is the
 * truthful outcome (the daemon cannot report readiness).
 */
export function connectServiceManager(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
  load: () => SdNotify = loadSdNotify,
): ServiceManager {
  if (!env.NOTIFY_SOCKET) return INACTIVE;
  let sd: SdNotify;
  try {
    sd = load();
  } catch (e) {
    logger.error({ err: e }, 'NOTIFY_SOCKET is set but the sd_notify binding did not load');
    return INACTIVE;
  }
  let timer: NodeJS.Timeout | undefined;
  const send = (state: string) => {
    try {
      sd.sendState(state);
    } catch (e) {
      logger.warn({ err: e }, 'sd_notify failed');
    }
  };
  return {
    active: true,
    ready(status) {
      send(`READY=1\nSTATUS=${oneLine(status)}`);
    },
    status(text) {
      send(`STATUS=${oneLine(text)}`);
    },
    stopping() {
      send('STOPPING=1\nSTATUS=stopping');
    },
    startWatchdog() {
      const intervalMs = sd.watchdogInterval();
      if (!(intervalMs > 0) || timer) return intervalMs;
      // Half the interval, as sd_watchdog_enabled(3) advises: one late tick is not yet a restart.
      timer = setInterval(() => send('WATCHDOG=1'), Math.max(1, Math.floor(intervalMs / 2)));
      timer.unref();
      send('WATCHDOG=1');
      return intervalMs;
    },
    stopWatchdog() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function loadSdNotify(): SdNotify {
  return createRequire(import.meta.url)('sd-notify') as SdNotify;
}
