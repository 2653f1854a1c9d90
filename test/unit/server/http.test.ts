import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/index.ts';
import { createServer, metricsRegistry } from '../../../src/server/index.ts';
import { FakeServices, testConfig } from './helpers.ts';

const services = new FakeServices();
const server = createServer({ config: testConfig(), services, logger: silentLogger() });
const { app } = server;
afterAll(() => server.close());

describe('HTTP routes', () => {
  it('GET /health is 200 when services are healthy and 503 when not', async () => {
    services.healthy = true;
    const ok = await app.inject({ url: '/health', headers: { host: '127.0.0.1:7215' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, readers: 2 });
    services.healthy = false;
    const bad = await app.inject({ url: '/health', headers: { host: 'localhost' } });
    expect(bad.statusCode).toBe(503);
    expect(bad.json().ok).toBe(false);
    services.healthy = true;
  });

  it('GET /health is 503 with a reason code when the health check throws', async () => {
    const broken = new FakeServices();
    broken.health = async () => {
      throw new Error('pcscd gone');
    };
    const s = createServer({ config: testConfig(), services: broken, logger: silentLogger() });
    const r = await s.app.inject({ url: '/health', headers: { host: '127.0.0.1' } });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ ok: false, reason: 'INTERNAL' });
    await s.close();
  });

  it('GET /metrics serves Prometheus text with the server metrics and those services register', async () => {
    const { Counter } = await import('prom-client');
    const own = new Counter({
      name: 'ektp_bridge_test_service_total',
      help: 'a service metric',
      registers: [metricsRegistry],
    });
    own.inc(3);
    const r = await app.inject({ url: '/metrics', headers: { host: '127.0.0.1' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    for (const name of [
      'ektp_bridge_rpc_requests_total',
      'ektp_bridge_rpc_duration_seconds',
      'ektp_bridge_ws_clients',
      'ektp_bridge_test_service_total 3',
      'ektp_bridge_process_cpu_seconds_total',
    ]) {
      expect(r.body).toContain(name);
    }
    metricsRegistry.removeSingleMetric('ektp_bridge_test_service_total');
  });

  it('GET / serves the claim page, its script and the built SDK with a strict CSP and no external assets', async () => {
    const page = await app.inject({ url: '/', headers: { host: '127.0.0.1' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('src="app.js"');
    expect(page.body).toContain('src="client/ektp-bridge-client.js"');
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    const js = await app.inject({ url: '/app.js', headers: { host: '127.0.0.1' } });
    expect(js.statusCode).toBe(200);
    for (const word of ['card.read', 'finger.verify', 'finger.preview', 'card.removed', 'EktpBridgeClient']) {
      expect(js.body).toContain(word);
    }
    expect(js.body).not.toMatch(/https?:\/\//);
    // npm test builds the SDK before the tests (npm run build:client)
    const sdk = await app.inject({ url: '/client/ektp-bridge-client.js', headers: { host: '127.0.0.1' } });
    expect(sdk.statusCode).toBe(200);
    expect(sdk.headers['content-type']).toContain('text/javascript');
    expect(sdk.body).toContain('var EktpBridge =');
    expect(sdk.body).toContain('operation.cancel');
  });

  it('refuses a non-loopback Host on plain HTTP too (DNS rebinding)', async () => {
    for (const url of ['/', '/health', '/metrics']) {
      const r = await app.inject({ url, headers: { host: 'evil.example:7215' } });
      expect(r.statusCode).toBe(403);
      expect(r.body).toBe('Forbidden');
    }
  });

  it('serves no other file', async () => {
    const r = await app.inject({ url: '/../config/config.schema.json', headers: { host: '127.0.0.1' } });
    expect(r.statusCode).toBe(404);
  });
});
