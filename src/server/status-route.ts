import type { FastifyInstance } from 'fastify';
import { API_VERSION } from '../../protocols/api-version.ts';
import { isLoopbackRequest, singleOrigin } from './upgrade-guard.ts';

/**
 * GET /v1/status: "would the WebSocket accept my Origin?", readable by any page (CORS). The upgrade
 * refuses a wrong Origin with a bare 403 that a page cannot see (it gets close code 1006, as for
 * every other failure), so the client SDK asks here to tell ORIGIN_FORBIDDEN from
 * DAEMON_UNREACHABLE (src/client/diagnose.ts). A refused origin learns only `allowed: false`: no
 * version, no device id. Loopback Host only, like every route (DNS rebinding). Simple GET, so no
 * CORS preflight and no state changed.
 */
export function statusRoute(allowlist: () => ReadonlySet<string>) {
  return async function status(app: FastifyInstance): Promise<void> {
    app.get('/v1/status', async (req, reply) => {
      // this route is its own plugin, outside http-routes.ts's hook: the same check, here
      if (!isLoopbackRequest(req.raw)) return reply.code(403).type('text/plain').send('Forbidden');
      // a repeated Origin is no origin (and is not echoed: browsers reject a list anyway)
      const origin = singleOrigin(req.raw.rawHeaders);
      const allowed = typeof origin === 'string' && allowlist().has(origin.toLowerCase());
      reply.header('cache-control', 'no-store').header('vary', 'Origin');
      if (typeof origin === 'string') reply.header('access-control-allow-origin', origin);
      return reply.send(allowed ? { allowed, apiVersion: API_VERSION } : { allowed });
    });
  };
}
