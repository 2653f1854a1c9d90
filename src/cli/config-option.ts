import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfigDetailed } from '../config/index.ts';
import type { Config } from '../config/types.ts';
import { createLogger, type Logger } from '../log/index.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export function withConfigOption(cmd: Command): Command {
  return cmd.option('--config <file>', 'configuration file (default /etc/ektp-bridge/config.json)');
}

/**
 * Loads the configuration for a command. Where the dataDir cannot be written (a developer's machine
 * without /var/lib/ektp-bridge, not root), the device key, dev backend key and audit log go to
 * .data/ in the checkout instead — for every command alike, so `serve --simulate` and `read` agree.
 */
export function loadCliConfig(opts: { config?: string }): Config {
  const { config } = loadConfigDetailed({ path: opts.config, env: process.env });
  if (!writable(config.dataDir)) config.dataDir = join(REPO_ROOT, '.data', 'simulate');
  return config;
}

export function cliLogger(config: Config): Logger {
  return createLogger({ level: config.logLevel });
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
