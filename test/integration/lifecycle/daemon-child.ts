/**
 * `ektp-bridge serve --simulate` through the same runDaemon the CLI uses, plus controls on stdin to
 * misbehave on purpose: `block <ms>` blocks the event loop, `throw` raises an uncaught exception,
 * `reject` leaves a promise rejection unhandled. Configured by EKTP_BRIDGE_* variables.
 */
import { createInterface } from 'node:readline';
import { loadConfigDetailed } from '../../../src/config/index.ts';
import { runDaemon } from '../../../src/daemon/run-daemon.ts';
import { createLogger } from '../../../src/log/index.ts';

const { config } = loadConfigDetailed({ env: process.env });
const logger = createLogger({ level: config.logLevel });
await runDaemon({ config, logger, simulate: true });

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'block') {
    const until = Date.now() + Number(arg);
    while (Date.now() < until) {
      /* a stuck event loop */
    }
  } else if (cmd === 'throw') {
    setImmediate(() => {
      throw new Error('test: uncaught');
    });
  } else if (cmd === 'reject') {
    void Promise.reject(new Error('test: unhandled'));
  }
});
