import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../protocols/errors.ts';
import { loadConfig, loadConfigDetailed, readerMatcher } from '../../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ektp-config-'));
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isBridgeError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a BridgeError');
}

describe('loadConfig', () => {
  it('uses defaults when the default file is missing', () => {
    const { config, source } = loadConfigDetailed({ env: {} });
    // /etc/ektp-bridge/config.json does not exist on test machines
    expect(source).toBeUndefined();
    expect(config.port).toBe(7215);
    expect(config.hosts).toEqual(['127.0.0.1', '::1']);
    expect(config.security).toEqual({
      allowedOrigins: [],
      allowSelfOrigin: true,
      requireTickets: true,
      ticketKeys: [],
      maxMessageBytes: 65536,
    });
    expect(config.verify.defaultMaxAttempts).toBe(3);
    expect(config.verify.combine).toBe('best');
    expect(config.simulate).toBeUndefined();
  });

  it('fails when an explicit --config file is missing', () => {
    const err = errorOf(() => loadConfig({ path: join(dir, 'nope.json'), env: {} }));
    expect(err.code).toBe('INVALID_PARAMS');
    expect(err.message).toContain('nope.json');
  });

  it('reads a file and fills the rest with defaults', () => {
    const p = file('ok.json', { port: 8000, security: { allowedOrigins: ['https://klaim.example'] } });
    const c = loadConfig({ path: p, env: {} });
    expect(c.port).toBe(8000);
    expect(c.security.allowedOrigins).toEqual(['https://klaim.example']);
    expect(c.security.requireTickets).toBe(true);
  });

  it.each([
    [{ port: 70000 }, 'config key "port": must be <= 65535'],
    [{ port: 'x' }, 'config key "port": must be integer'],
    [{ hosts: ['0.0.0.0'] }, 'config key "hosts[0]": must be one of "127.0.0.1", "::1"'],
    [{ security: { requireTicket: false } }, 'config key "security.requireTicket": is not a known key'],
    [{ security: { allowedOrigins: ['https://a.example/path'] } }, 'config key "security.allowedOrigins[0]"'],
    [{ security: { maxMessageBytes: 10 } }, 'config key "security.maxMessageBytes": must be >= 1024'],
    [{ readers: { samSocket: 3 } }, 'config key "readers.samSocket": must be one of 1, 2'],
    [{ sensors: [{ baud: 9600 }] }, 'config key "sensors[0].driver": is required'],
    [{ readers: { rf: '/[a-/' } }, 'config key "readers.rf": not a valid /regex/'],
  ])('names the key of an invalid value %j', (doc, expected) => {
    const p = file('bad.json', doc);
    const err = errorOf(() => loadConfig({ path: p, env: {} }));
    expect(err.code).toBe('INVALID_PARAMS');
    expect(err.message).toContain(expected);
  });

  it('rejects a file that is not JSON or not an object', () => {
    expect(errorOf(() => loadConfig({ path: file('a.json', '{port: 1'), env: {} })).message).toContain(
      'not valid JSON',
    );
    expect(errorOf(() => loadConfig({ path: file('b.json', '[1]'), env: {} })).message).toContain(
      'must be a JSON object',
    );
  });
});

describe('EKTP_BRIDGE_* overrides', () => {
  it('overrides leaves at any level, JSON for non-strings and raw text for strings', () => {
    const p = file('env.json', { port: 8000, security: { requireTickets: true } });
    const { config, unknownEnv } = loadConfigDetailed({
      path: p,
      env: {
        EKTP_BRIDGE_PORT: '9001',
        EKTP_BRIDGE_SECURITY_REQUIRETICKETS: 'false',
        EKTP_BRIDGE_SECURITY_ALLOWEDORIGINS: '["https://klaim.example"]',
        EKTP_BRIDGE_READERS_RF: '/ACR\\d+ PICC/i',
        EKTP_BRIDGE_READERS_SAM: 'SAM',
        EKTP_BRIDGE_SIMULATE: '{"people":3}',
        EKTP_BRIDGE_CONFIG: '/somewhere.json',
        EKTP_BRIDGE_NO_SUCH_KEY: '1',
        OTHER: 'x',
      },
    });
    expect(config.port).toBe(9001);
    expect(config.security.requireTickets).toBe(false);
    expect(config.security.allowedOrigins).toEqual(['https://klaim.example']);
    expect(config.readers.rf).toBe('/ACR\\d+ PICC/i');
    expect(config.readers.sam).toBe('SAM');
    expect(config.simulate).toEqual({ people: 3 });
    expect(unknownEnv).toEqual(['EKTP_BRIDGE_NO_SUCH_KEY']);
  });

  it('names the key and the variable when an override is invalid', () => {
    expect(errorOf(() => loadConfig({ env: { EKTP_BRIDGE_PORT: '99999' } })).message).toBe(
      'config key "port" (from EKTP_BRIDGE_PORT): must be <= 65535',
    );
    expect(errorOf(() => loadConfig({ env: { EKTP_BRIDGE_MATCH_THREADS: 'two' } })).message).toContain(
      'config key "match.threads" (from EKTP_BRIDGE_MATCH_THREADS): value is not valid JSON',
    );
  });

  it('selects the verify rule by name, and refuses one it does not know', () => {
    expect(loadConfig({ env: { EKTP_BRIDGE_VERIFY_COMBINE: 'sum' } }).verify.combine).toBe('sum');
    expect(errorOf(() => loadConfig({ env: { EKTP_BRIDGE_VERIFY_COMBINE: 'mean' } })).message).toContain(
      'config key "verify.combine" (from EKTP_BRIDGE_VERIFY_COMBINE)',
    );
  });
});

describe('readerMatcher', () => {
  it('matches substrings case-insensitively and /regex/flags', () => {
    expect(readerMatcher('acr1281')('ACS ACR1281 1S Dual Reader PICC 0')).toBe(true);
    expect(readerMatcher('SAM')('ACS ACR1281 1S Dual Reader PICC 0')).toBe(false);
    const re = readerMatcher('/SAM \\d$/');
    expect(re('ACS ACR1281 1S Dual Reader SAM 0')).toBe(true);
    expect(re('ACS ACR1281 1S Dual Reader sam 0')).toBe(false);
  });
});

describe('loadSamSecrets', async () => {
  const { loadSamSecrets } = await import('../../../src/config/index.ts');
  const good = { pcidHex: '00'.repeat(16), confHex: 'ab'.repeat(32) };

  it('loads a 0600 file', () => {
    const p = file('secrets-ok.json', good);
    chmodSync(p, 0o600);
    const s = loadSamSecrets(p);
    expect(s.pcid.length).toBe(16);
    expect(s.conf[0]).toBe(0xab);
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o602])('refuses mode %o with a clear message', (mode) => {
    const p = file(`secrets-${mode.toString(8)}.json`, good);
    chmodSync(p, mode);
    const err = errorOf(() => loadSamSecrets(p));
    expect(err.code).toBe('INVALID_PARAMS');
    expect(err.message).toContain(`mode 0${mode.toString(8)}`);
    expect(err.message).toContain('chmod 600');
  });

  it('refuses wrong lengths without echoing the secret', () => {
    const p = file('secrets-short.json', { pcidHex: 'c0ffee', confHex: good.confHex });
    chmodSync(p, 0o600);
    const err = errorOf(() => loadSamSecrets(p));
    expect(err.message).toContain('"pcidHex" must be 16 bytes of hex');
    expect(err.message).not.toContain('c0ffee');
  });
});
