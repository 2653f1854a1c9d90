export { createLogger, type Logger, type LoggerFactoryOptions, silentLogger } from './logger.ts';
export { isRedactedKey, NIK_MASK, REDACTED_KEYS, REDACTION, redactDeep } from './redact.ts';
