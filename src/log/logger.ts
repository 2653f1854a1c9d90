import { fstatSync } from 'node:fs';
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
  /**
   * Start each line with its syslog priority, `<3>{"level":50,...}`: journald strips that prefix
   * from a service's stderr and files the line under the priority (journalctl -p err). On when
   * stderr is the journal (stderrIsJournal()).
   */
  syslogPrefix?: boolean;
}

/** pino level -> syslog priority: fatal crit(2), error err(3), warn warning(4), info info(6), debug/trace debug(7). */
export function syslogPriority(level: unknown): number {
  if (typeof level !== 'number') return 6;
  if (level >= 60) return 2;
  if (level >= 50) return 3;
  if (level >= 40) return 4;
  if (level >= 30) return 6;
  return 7;
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
  constructor(
    private readonly inner: DestinationStream,
    private readonly syslogPrefix: boolean,
  ) {}
  write(line: string): void {
    let out = line;
    try {
      const record = JSON.parse(line);
      out = `${JSON.stringify(redactDeep(record))}\n`;
      if (this.syslogPrefix) out = `<${syslogPriority(record?.level)}>${out}`;
    } catch {
      /* not JSON: leave as is */
    }
    this.inner.write(out);
  }
  /** what flushLogSync calls before a fatal exit (pino's own destination has flushSync) */
  flushSync(): void {
    (this.inner as { flushSync?: () => void }).flushSync?.();
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
  return pino(opts, new RedactingStream(inner, options.syslogPrefix ?? false));
}

/**
 * Writes out what the logger still buffers, synchronously: the last thing done before exiting on a
 * fatal error, so its log line is not lost with the process.
 */
export function flushLogSync(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { flushSync?: () => void }
    | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    /* a destination not yet open has nothing buffered to lose */
  }
}

/**
 * True when stderr is connected to the journal: systemd sets JOURNAL_STREAM to "device:inode" of
 * the stream it gave the service (systemd.exec(5)); comparing with fd 2 tells a service's own stderr
 * from a child that inherited the variable but writes elsewhere.
 */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 2): boolean {
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!m) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1]!) && st.ino === BigInt(m[2]!);
  } catch {
    return false;
  }
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
