import { describe, expect, it } from 'vitest';
import { checkUpgrade, isLoopbackHost, originAllowlist } from '../../../src/server/index.ts';

describe('upgrade guard', () => {
  const allow = originAllowlist(
    ['https://klaim.example.go.id', 'https://mpos.example.go.id:8443'],
    true,
    7215,
  );

  it.each([
    ['localhost', true],
    ['localhost:7215', true],
    ['127.0.0.1', true],
    ['127.0.0.1:1', true],
    ['[::1]', true],
    ['[::1]:7215', true],
    ['LocalHost:7215', true],
    ['::1', false],
    ['127.0.0.2', false],
    ['localhost.', false],
    ['localhost.evil.example', false],
    ['evil.example', false],
    ['127.0.0.1:7215:80', false],
    ['127.0.0.1@evil.example', false],
    ['', false],
  ])('Host %j loopback=%s', (host, ok) => {
    expect(isLoopbackHost(host)).toBe(ok);
  });

  it.each([
    ['https://klaim.example.go.id', true],
    ['HTTPS://KLAIM.EXAMPLE.GO.ID', true],
    ['https://mpos.example.go.id:8443', true],
    ['https://mpos.example.go.id', false],
    ['http://klaim.example.go.id', false],
    ['https://klaim.example.go.id:443', false],
    ['https://klaim.example.go.id/', false],
    ['https://sub.klaim.example.go.id', false],
    ['http://127.0.0.1:7215', true],
    ['http://localhost:7215', true],
    ['http://[::1]:7215', true],
    ['http://127.0.0.1:7216', false],
    ['null', false],
  ])('Origin %j allowed=%s', (origin, ok) => {
    expect(checkUpgrade({ host: 'localhost:7215', origin }, allow).ok).toBe(ok);
  });

  it('refuses a missing or repeated header', () => {
    expect(checkUpgrade({ host: 'localhost' }, allow)).toEqual({ ok: false, reason: 'origin' });
    expect(checkUpgrade({ origin: 'https://klaim.example.go.id' }, allow)).toEqual({
      ok: false,
      reason: 'host',
    });
    expect(
      checkUpgrade({ host: ['localhost', 'evil'], origin: 'https://klaim.example.go.id' }, allow).ok,
    ).toBe(false);
  });

  it('drops the self origins when allowSelfOrigin is false', () => {
    const strict = originAllowlist(['https://klaim.example.go.id'], false, 7215);
    expect(checkUpgrade({ host: 'localhost', origin: 'http://127.0.0.1:7215' }, strict).ok).toBe(false);
  });
});
