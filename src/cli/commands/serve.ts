import type { Command } from 'commander';
import { configFileStatus } from '../../config/index.ts';
import { runDaemon } from '../../daemon/run-daemon.ts';
import { cliLogger, loadCliConfigWithSource, withConfigOption } from '../config-option.ts';

export function registerServe(program: Command): void {
  withConfigOption(
    program
      .command('serve')
      .description(
        'run the daemon: WebSocket API on ws://127.0.0.1:<port>/v1, /health, /metrics, the counter page at /',
      )
      .option(
        '--simulate',
        'use the built-in simulated reader, SAM, card and fingerprint sensor (no hardware, no pcscd)',
      ),
  )
    .addHelpText(
      'after',
      '\nBeside a running daemon (usually the installed service: systemctl status ektp-bridge) it exits 1\n' +
        'with BUSY: naming its data folder and pid when that daemon holds the same dataDir (nothing is\n' +
        'written there), else naming the address and port when the port is taken. A port it may not bind\n' +
        'is INVALID_PARAMS. The port is the configuration key "port" (EKTP_BRIDGE_PORT).',
    )
    .action(async (opts: { config?: string; simulate?: boolean }) => {
      // An invalid file stops here, with the message naming the key. Once running, the daemon keeps
      // the configuration it loaded; /health reports edits to the file (config-file-status.ts).
      const { config, source } = loadCliConfigWithSource(opts);
      const configStatus = configFileStatus(source, process.env);
      const logger = cliLogger(config);
      const daemon = await runDaemon({ config, logger, simulate: !!opts.simulate, configStatus });
      if (opts.simulate) {
        process.stderr.write(
          `ektp-bridge: simulator running; counter page http://127.0.0.1:${daemon.port}/ ; ` +
            `WebSocket ws://127.0.0.1:${daemon.port}/v1\n`,
        );
      }
      await new Promise(() => {}); // serve until a signal
    });
}
