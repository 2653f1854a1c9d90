import type { Config } from '../config/types.ts';
import { flushLogSync, type Logger } from '../log/index.ts';
import { type Daemon, type DaemonOptions, startDaemon } from './daemon.ts';
import { connectServiceManager, type ServiceManager } from './service-manager.ts';

/** Exit status after an uncaught exception or unhandled rejection (sysexits EX_SOFTWARE). */
export const EXIT_FATAL = 70;

export interface RunDaemonOptions {
  config: Config;
  logger: Logger;
  simulate?: boolean;
  /** the configuration file on disk against what was loaded; /health reports it */
  configStatus?: DaemonOptions['configStatus'];
  /** systemd notifications (default: from NOTIFY_SOCKET / WATCHDOG_USEC) */
  serviceManager?: ServiceManager;
}

/**
 * `ektp-bridge serve` as a service: starts the daemon, tells systemd READY=1 once the server
 * listens (so /health answers by then), feeds the watchdog from the event loop, stops gracefully on
 * SIGTERM/SIGINT (STOPPING=1, then everything closed in order, exit 0).
 *
 * An uncaught exception or unhandled rejection leaves the process in a state nobody reasoned about:
 * it is logged (fatal), the log flushed, and the process exits with EXIT_FATAL so systemd restarts
 * it (Restart=on-failure). Nothing answered is lost by that: a result leaves the daemon only after
 * its audit entry is on disk, and the next start repairs a torn last line.
 */
export async function runDaemon({
  config,
  logger,
  simulate,
  configStatus,
  serviceManager = connectServiceManager(logger),
}: RunDaemonOptions): Promise<Daemon> {
  const fatal = (kind: string) => (err: unknown) => {
    try {
      logger.fatal({ err }, `${kind}: exiting so that the service manager restarts the daemon`);
      serviceManager.stopWatchdog();
      serviceManager.status(`${kind}, exiting`);
    } finally {
      flushLogSync(logger);
      process.exit(EXIT_FATAL);
    }
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));

  serviceManager.status('starting');
  // Pinging from the first moment: a start that hangs the loop is caught like any other hang.
  const watchdogMs = serviceManager.startWatchdog();
  const daemon = await startDaemon({ config, logger, simulate, configStatus });
  serviceManager.ready(`listening on 127.0.0.1:${daemon.port}`);
  if (serviceManager.active) logger.info({ watchdogMs }, 'systemd notified: ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Keep pinging while closing: finishing what was answered may take longer than one interval.
    serviceManager.stopping();
    await daemon.close().catch((e) => logger.error({ err: e }, 'error while stopping'));
    serviceManager.stopWatchdog();
    flushLogSync(logger);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return daemon;
}
