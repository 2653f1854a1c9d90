import { afterEach, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../../protocols/api-version.ts';
import type { BridgeServer } from '../../../src/server/index.ts';
import { ALLOWED, startServer } from './helpers.ts';

let server: BridgeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /v1/status (the SDK tells ORIGIN_FORBIDDEN from DAEMON_UNREACHABLE with it)', () => {
  it('tells a page, readably across origins, whether its Origin may open the WebSocket', async () => {
    const s = await startServer();
    server = s.server;
    const url = `http://127.0.0.1:${s.port}/v1/status`;
    const ok = await fetch(url, { headers: { origin: ALLOWED } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toEqual({ allowed: true, apiVersion: API_VERSION });

    const refused = await fetch(url, { headers: { origin: 'https://evil.example' } });
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(await refused.json()).toEqual({ allowed: false }); // nothing more for a refused origin

    expect(await (await fetch(url)).json()).toEqual({ allowed: false });
  });

  it('answers only a loopback Host (DNS rebinding)', async () => {
    const s = await startServer();
    server = s.server;
    const res = await s.server.app.inject({
      method: 'GET',
      url: '/v1/status',
      headers: { host: 'evil.example', origin: ALLOWED },
    });
    expect(res.statusCode).toBe(403);
  });
});
