export {
  createLogger,
  flushLogSync,
  type Logger,
  type LoggerFactoryOptions,
  silentLogger,
  stderrIsJournal,
  syslogPriority,
} from './logger.ts';
export { isRedactedKey, NIK_MASK, REDACTED_KEYS, REDACTION, redactDeep } from './redact.ts';
