export { type ConfigFileStatus, configFileStatus } from './config-file-status.ts';
export {
  configSchema,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  loadConfigDetailed,
  validateConfig,
} from './load.ts';
export { readerMatcher } from './reader-pattern.ts';
export { loadSamSecrets, type SamSecrets } from './sam-secrets.ts';
export {
  type Config,
  DEFAULT_CONFIG_PATH,
  ENV_PREFIX,
  type LogLevel,
  type SensorConfig,
  type TicketKey,
} from './types.ts';
