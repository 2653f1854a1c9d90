import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactDeep } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerFactoryOptions {
  level?: LoggerOptions['level'];
  /** where the JSON lines go; default stderr (cli.md: logs on stderr, results on stdout) */
  destination?: DestinationStream;
  /** human-readable output through pino-pretty (development only; slower) */
  pretty?: boolean;
  /** bound to every line, e.g. { component: 'server' } (redacted like the rest) */
  base?: Record<string, unknown>;
}

/**
 * Redaction happens twice, on purpose:
 * - formatters.log walks the record before serialisation, so byte arrays become "[n bytes]" instead
 *   of a JSON array of their contents;
 * - this stream walks every serialised line, which is the only place that also sees child bindings
 *   (pino resets the bindings formatter for children) and what serializers produced (err.detail).
 * A line that is not JSON is passed through: pino only writes JSON.
 */
class RedactingStream implements DestinationStream {
  constructor(private readonly inner: DestinationStream) {}
  write(line: string): void {
    let out = line;
    try {
      out = `${JSON.stringify(redactDeep(JSON.parse(line)))}\n`;
    } catch {
      /* not JSON: leave as is */
    }
    this.inner.write(out);
  }
}

/**
 * The one logger factory. A service that logs `{ result }` by mistake still writes no NIK, name,
 * photo or template. The message string is not redacted: never interpolate personal values into it.
 */
export function createLogger(options: LoggerFactoryOptions = {}): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    base: { pid: process.pid, ...(options.base ?? {}) },
    formatters: { log: (obj) => redactDeep(obj) as Record<string, unknown> },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  const inner = options.pretty
    ? (pino.transport({
        target: 'pino-pretty',
        options: { destination: 2, colorize: false },
      }) as DestinationStream)
    : (options.destination ?? pino.destination({ fd: 2, sync: false }));
  return pino(opts, new RedactingStream(inner));
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
