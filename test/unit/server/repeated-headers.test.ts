import { mkdtempSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDevBackend } from '../../../src/security/dev-backend.ts';
import { devTicketRoute } from '../../../src/security/dev-ticket-route.ts';
import type { BridgeServer } from '../../../src/server/index.ts';
import { hasLoopbackHost, singleOrigin, upgradeHeaders } from '../../../src/server/upgrade-guard.ts';
import { ALLOWED, startServer } from './helpers.ts';

// Node keeps only the first of two Host headers; a doubled Host or Origin must be refused, not resolved.

let server: BridgeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends `lines` as one raw HTTP request; resolves with what the server answered before closing. */
function raw(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      // an accepted upgrade or a keep-alive answer keeps the socket open: stop after the headers
      if (/^HTTP\/1\.1 (101|200|403)/.test(text) && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}

const upgrade = (extra: string[]) => [
  'GET /v1 HTTP/1.1',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ...extra,
];

describe('repeated Host or Origin headers', () => {
  it('refuses the upgrade with exactly 403 for a doubled Host, loopback first or last', async () => {
    const s = await startServer();
    server = s.server;
    const port = s.port;
    for (const hosts of [
      [`127.0.0.1:${port}`, 'evil.example'],
      ['evil.example', `127.0.0.1:${port}`],
      [`127.0.0.1:${port}`, `127.0.0.1:${port}`],
    ]) {
      const sent = await raw(port, upgrade([...hosts.map((h) => `Host: ${h}`), `Origin: ${ALLOWED}`]));
      expect(sent).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
    }
    // the same request with one Host is accepted (the refusal above is the repetition)
    const once = await raw(port, upgrade([`Host: 127.0.0.1:${port}`, `Origin: ${ALLOWED}`]));
    expect(once.startsWith('HTTP/1.1 101 Switching Protocols')).toBe(true);
  });

  it('refuses the upgrade with exactly 403 for a doubled Origin, even twice the allowed one', async () => {
    const s = await startServer();
    server = s.server;
    const port = s.port;
    for (const origins of [
      [ALLOWED, ALLOWED],
      [ALLOWED, 'https://evil.example'],
    ]) {
      const sent = await raw(
        port,
        upgrade([`Host: 127.0.0.1:${port}`, ...origins.map((o) => `Origin: ${o}`)]),
      );
      expect(sent).toBe('HTTP/1.1 403 Forbidden\r\n\r\n');
    }
  });

  it('refuses GET /health with 403 for a doubled Host', async () => {
    const s = await startServer();
    server = s.server;
    const port = s.port;
    const twice = await raw(port, ['GET /health HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Host: evil.example']);
    expect(twice.startsWith('HTTP/1.1 403')).toBe(true);
    const once = await raw(port, ['GET /health HTTP/1.1', `Host: 127.0.0.1:${port}`]);
    expect(once.startsWith('HTTP/1.1 200')).toBe(true);
  });

  it('refuses GET /v1/status with 403 for a doubled Host, and does not echo a doubled Origin', async () => {
    const s = await startServer();
    server = s.server;
    const port = s.port;
    const host = `Host: 127.0.0.1:${port}`;
    const twice = await raw(port, [
      'GET /v1/status HTTP/1.1',
      host,
      'Host: evil.example',
      `Origin: ${ALLOWED}`,
    ]);
    expect(twice.startsWith('HTTP/1.1 403')).toBe(true);
    const origins = await raw(port, [
      'GET /v1/status HTTP/1.1',
      host,
      `Origin: ${ALLOWED}`,
      `Origin: ${ALLOWED}`,
    ]);
    expect(origins.startsWith('HTTP/1.1 200')).toBe(true);
    expect(origins).not.toMatch(/access-control-allow-origin/i);
    expect(origins).toMatch(/\{"allowed":false\}/);
    const once = await raw(port, ['GET /v1/status HTTP/1.1', host, `Origin: ${ALLOWED}`]);
    expect(once).toMatch(/\{"allowed":true,"apiVersion":1\}/);
  });

  it('refuses an absolute-form request target on every HTTP route, whatever the Host', async () => {
    const s = await startServer();
    server = s.server;
    const port = s.port;
    for (const path of ['/health', '/metrics', '/v1/status']) {
      for (const authority of ['evil.example', `127.0.0.1:${port}`]) {
        const sent = await raw(port, [`GET http://${authority}${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`]);
        expect(sent.startsWith('HTTP/1.1 403'), `${authority}${path}`).toBe(true);
      }
    }
  });

  it('refuses POST /dev/ticket with 403 for a doubled Origin or Host', async () => {
    const backend = await ensureDevBackend(mkdtempSync(join(tmpdir(), 'dup-hdr-')));
    const app = Fastify();
    await app.register(devTicketRoute({ backend, allowOrigin: (o) => o === ALLOWED }));
    const post = (flat: string[]) =>
      app.inject({
        method: 'POST',
        url: '/dev/ticket',
        headers: { ...headersFrom(flat), 'content-type': 'application/json' },
        payload: '{"op":"card.read"}',
      });
    try {
      expect((await post(['host', '127.0.0.1', 'origin', ALLOWED])).statusCode).toBe(200);
      expect((await post(['host', '127.0.0.1', 'origin', ALLOWED, 'origin', ALLOWED])).statusCode).toBe(403);
      expect((await post(['host', '127.0.0.1', 'host', 'evil.example', 'origin', ALLOWED])).statusCode).toBe(
        403,
      );
      // Node would keep the first Host: only the raw lines show the second one
      expect((await post(['host', '127.0.0.1', 'host', '127.0.0.1', 'origin', ALLOWED])).statusCode).toBe(
        403,
      );
    } finally {
      await app.close();
    }
  });
});

function headersFrom(flat: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const seen = out[flat[i]];
    out[flat[i]] = seen === undefined ? flat[i + 1] : [...(Array.isArray(seen) ? seen : [seen]), flat[i + 1]];
  }
  return out;
}

describe('upgradeHeaders (pure)', () => {
  it('keeps single headers as strings and repeated ones as arrays, any case', () => {
    expect(upgradeHeaders(['Host', 'localhost', 'ORIGIN', 'https://a'])).toEqual({
      host: 'localhost',
      origin: 'https://a',
    });
    expect(upgradeHeaders(['host', 'localhost', 'HOST', 'evil'])).toEqual({ host: ['localhost', 'evil'] });
    expect(hasLoopbackHost(['Host', 'localhost', 'Host', 'localhost'])).toBe(false);
    expect(hasLoopbackHost(['Host', '127.0.0.1:7215'])).toBe(true);
    expect(singleOrigin(['Origin', 'https://a', 'origin', 'https://a'])).toBeUndefined();
    expect(singleOrigin([])).toBeUndefined();
  });
});
