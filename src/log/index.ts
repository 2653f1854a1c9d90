export { createLogger, type Logger, type LoggerFactoryOptions, silentLogger } from './logger.ts';
export { isRedactedKey, REDACTED_KEYS, REDACTION, redactDeep } from './redact.ts';
