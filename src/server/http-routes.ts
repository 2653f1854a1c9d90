import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { toBridgeError } from '../../protocols/errors.ts';
import type { BridgeServices } from '../services/types.ts';
import { clientAssets } from './client-assets.ts';
import { metricsRegistry } from './metrics.ts';
import { isLoopbackRequest } from './upgrade-guard.ts';

const PUBLIC_DIR = new URL('./public/', import.meta.url);

/** The reference counter page: a fixed list of files read once, never a path from the request. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app-words.js': { file: 'app-words.js', type: 'text/javascript; charset=utf-8' },
  '/app-render.js': { file: 'app-render.js', type: 'text/javascript; charset=utf-8' },
  '/app-simulator.js': { file: 'app-simulator.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

// The page loads nothing from elsewhere and may only talk to this daemon; no framing (clickjacking).
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** GET /health, GET /metrics and the reference page, as a fastify plugin. */
export function httpRoutes(services: BridgeServices) {
  const files = {
    ...Object.fromEntries(
      Object.entries(ASSETS).map(([route, a]) => [
        route,
        { body: readFileSync(new URL(a.file, PUBLIC_DIR)), type: a.type },
      ]),
    ),
    ...clientAssets(),
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    // DNS rebinding applies to plain HTTP too: a page on evil.example rebound to 127.0.0.1 could
    // otherwise read /health and /metrics. Only loopback Host names are served, sent once.
    app.addHook('onRequest', async (req, reply) => {
      if (!isLoopbackRequest(req.raw)) return reply.code(403).type('text/plain').send('Forbidden');
    });

    app.get('/health', async (_req, reply) => {
      try {
        const health = await services.health();
        return reply.code(health.ok ? 200 : 503).send(health);
      } catch (e) {
        app.log.error({ err: e }, 'health check failed');
        return reply.code(503).send({ ok: false, reason: toBridgeError(e).code });
      }
    });

    app.get('/metrics', async (_req, reply) => {
      const text = await metricsRegistry.metrics();
      return reply.type(metricsRegistry.contentType).send(text);
    });

    for (const [route, f] of Object.entries(files)) {
      app.get(route, async (_req, reply) => reply.headers(PAGE_HEADERS).type(f.type).send(f.body));
    }
  };
}
