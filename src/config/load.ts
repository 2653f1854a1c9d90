import { readFileSync } from 'node:fs';
import { BridgeError } from '../../protocols/errors.ts';
import { createAjv, describeAjvError, errorKey } from './ajv.ts';
import schema from './config.schema.json' with { type: 'json' };
import { applyEnvOverrides, envKeysFromSchema } from './env.ts';
import { readerMatcher } from './reader-pattern.ts';
import { type Config, DEFAULT_CONFIG_PATH } from './types.ts';

export { schema as configSchema };

// Compiled once: the schema fills defaults (useDefaults) so the result is a complete Config.
const ajv = createAjv({ useDefaults: true, allErrors: false });
const validate = ajv.compile(schema);
const ENV_KEYS = envKeysFromSchema(schema as Parameters<typeof envKeysFromSchema>[0]);

export interface LoadConfigOptions {
  /** from --config; when absent the default path is used and may be missing (then: defaults) */
  path?: string;
  /** usually process.env */
  env?: Record<string, string | undefined>;
}

export interface LoadedConfig {
  config: Config;
  /** the file actually read, or undefined when running on defaults */
  source?: string;
  /** EKTP_BRIDGE_* variables that name no config key (worth a warning in the log) */
  unknownEnv: string[];
}

/** Reads, overrides from env, validates and completes the configuration. Throws INVALID_PARAMS. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  return loadConfigDetailed(options).config;
}

export function loadConfigDetailed(options: LoadConfigOptions = {}): LoadedConfig {
  const path = options.path ?? DEFAULT_CONFIG_PATH;
  const raw = readConfigFile(path, options.path !== undefined);
  const doc: unknown = raw === undefined ? {} : parseJson(raw, path);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new BridgeError('INVALID_PARAMS', `config file ${path}: must be a JSON object`);
  }
  const { applied, unknown } = applyEnvOverrides(doc as Record<string, unknown>, options.env ?? {}, ENV_KEYS);
  return {
    config: validateConfig(doc, applied),
    source: raw === undefined ? undefined : path,
    unknownEnv: unknown,
  };
}

/**
 * Validates (and completes with defaults, in place) a config object. `fromEnv` maps env variable
 * names to the keys they set, so that an error caused by a variable says so.
 */
export function validateConfig(doc: unknown, fromEnv: Map<string, string> = new Map()): Config {
  if (!validate(doc)) {
    const err = validate.errors![0];
    const key = errorKey(err);
    const envName = [...fromEnv].find(
      ([, k]) => key === k || key.startsWith(`${k}.`) || key.startsWith(`${k}[`),
    )?.[0];
    const text = describeAjvError(err);
    const withEnv = envName ? text.replace(/^("[^"]*")/, `$1 (from ${envName})`) : text;
    throw new BridgeError('INVALID_PARAMS', `config key ${withEnv}`, { key });
  }
  const config = doc as unknown as Config;
  // Patterns the schema cannot check: a /regex/ must compile.
  if (config.readers.rf) readerMatcher(config.readers.rf, 'readers.rf');
  if (config.readers.sam) readerMatcher(config.readers.sam, 'readers.sam');
  return config;
}

function readConfigFile(path: string, explicit: boolean): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    throw new BridgeError(
      'INVALID_PARAMS',
      `config file ${path}: cannot be read (${code ?? 'error'})`,
      undefined,
      {
        cause: e,
      },
    );
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // The message of JSON.parse says where; the file holds no personal data.
    throw new BridgeError('INVALID_PARAMS', `config file ${path}: not valid JSON (${(e as Error).message})`);
  }
}
