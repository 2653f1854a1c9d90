import { closeSync, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, stderrIsJournal, syslogPriority } from '../../../src/log/index.ts';

function capture(syslogPrefix: boolean) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination, syslogPrefix }), lines };
}

describe('journald priorities on log lines', () => {
  it('prefixes each JSON line with the syslog priority of its level', () => {
    const { logger, lines } = capture(true);
    logger.fatal('f');
    logger.error('e');
    logger.warn('w');
    logger.info('i');
    logger.debug('d');
    logger.trace('t');
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['<2>', '<3>', '<4>', '<6>', '<7>', '<7>']);
    // what follows the prefix is still one JSON document
    expect(JSON.parse(lines[1]!.slice(3))).toMatchObject({ level: 50, msg: 'e' });
  });

  it('keeps redacting personal data behind the prefix', () => {
    const { logger, lines } = capture(true);
    logger.error({ card: { nik: '3171234567890123' }, note: 'nik 3171234567890123' }, 'read failed');
    expect(lines[0]).toMatch(/^<3>\{/);
    expect(lines[0]).not.toContain('3171234567890123');
  });

  it('writes plain JSON lines without the option', () => {
    const { logger, lines } = capture(false);
    logger.error('e');
    expect(lines[0]!.startsWith('{')).toBe(true);
  });

  it('maps levels between pino steps to the more severe side', () => {
    expect(syslogPriority(55)).toBe(3);
    expect(syslogPriority(35)).toBe(6);
    expect(syslogPriority(undefined)).toBe(6);
  });
});

describe('stderrIsJournal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  const fd = openSync(join(dir, 'stream'), 'w');
  afterAll(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  const st = fstatSync(fd, { bigint: true });

  it('is true when JOURNAL_STREAM names the device and inode of the stream', () => {
    expect(stderrIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd)).toBe(true);
  });

  it('is false for another stream, a malformed value or none', () => {
    expect(stderrIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino + 1n}` }, fd)).toBe(false);
    expect(stderrIsJournal({ JOURNAL_STREAM: 'x:y' }, fd)).toBe(false);
    expect(stderrIsJournal({}, fd)).toBe(false);
  });
});
