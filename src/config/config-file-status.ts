/**
 * What the configuration file on disk says now, compared with what the daemon loaded at start.
 *
 * The daemon never reloads its configuration while running (a half-applied change to readers,
 * sensors or keys is worse than none): it keeps running on what it loaded. But an edit is reported,
 * so a monitor or `doctor` sees before the next restart that the file was changed, and whether the
 * restart will refuse it (state `invalid`, with the message naming the key, exactly what `serve`
 * would print). The file is checked when asked (each /health), not watched.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isBridgeError } from '../../protocols/errors.ts';
import { loadConfigDetailed } from './load.ts';

export interface ConfigFileStatus {
  /** the file the daemon loaded; absent when it runs on defaults */
  file?: string;
  /** loaded: unchanged since start; changed: edited and valid (applies at restart); invalid: a restart would refuse it */
  state: 'defaults' | 'loaded' | 'changed' | 'invalid';
  /** for `invalid`: why, naming the key (config files hold no personal data or secrets) */
  error?: string;
  key?: string;
}

function digest(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Remembers the file as it is now (call it right after loading) and returns the check. `env` is
 * what the daemon started with: EKTP_BRIDGE_* overrides take part in validation as at start.
 */
export function configFileStatus(
  file: string | undefined,
  env: Record<string, string | undefined> = {},
): () => ConfigFileStatus {
  if (file === undefined) return () => ({ state: 'defaults' });
  const atStart = digest(file);
  let last: { hash: string | undefined; status: ConfigFileStatus } | undefined;
  return () => {
    const hash = digest(file);
    if (hash !== undefined && hash === atStart) return { file, state: 'loaded' };
    if (last && last.hash === hash && hash !== undefined) return last.status;
    let status: ConfigFileStatus;
    try {
      loadConfigDetailed({ path: file, env });
      status = { file, state: 'changed' };
    } catch (e) {
      const key = isBridgeError(e) ? (e.detail?.key as string | undefined) : undefined;
      status = { file, state: 'invalid', error: (e as Error).message, ...(key ? { key } : {}) };
    }
    last = { hash, status };
    return status;
  };
}
