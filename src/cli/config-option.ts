import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfigDetailed } from '../config/index.ts';
import type { Config } from '../config/types.ts';
import { createLogger, type Logger, stderrIsJournal } from '../log/index.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export function withConfigOption(cmd: Command): Command {
  return cmd.option('--config <file>', 'configuration file (default /etc/ektp-bridge/config.json)');
}

/**
 * Loads the configuration for a command. On a developer's machine (no configuration file: running on
 * defaults) where the default dataDir cannot be written, the device key, dev backend key and audit
 * log go to .data/ in the checkout instead, for every command alike so `serve --simulate` and `read`
 * agree. An installed device (a configuration file exists) is never redirected: a command without
 * access to its dataDir fails instead of silently making a second device key somewhere else.
 */
export function loadCliConfig(opts: { config?: string }): Config {
  return loadCliConfigWithSource(opts).config;
}

/** loadCliConfig, also naming the file read (undefined: running on defaults) */
export function loadCliConfigWithSource(opts: { config?: string }): { config: Config; source?: string } {
  const { config, source } = loadConfigDetailed({ path: opts.config, env: process.env });
  const overridden = process.env.EKTP_BRIDGE_DATADIR !== undefined;
  if (source === undefined && !overridden && !writable(config.dataDir)) {
    config.dataDir = join(REPO_ROOT, '.data', 'simulate');
  }
  return { config, source };
}

/** JSON lines on stderr; under systemd each starts with its journald priority (`<3>` for errors). */
export function cliLogger(config: Config): Logger {
  return createLogger({ level: config.logLevel, syslogPrefix: stderrIsJournal() });
}

function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
