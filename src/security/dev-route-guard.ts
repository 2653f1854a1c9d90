import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackRequest, singleOrigin } from '../server/upgrade-guard.ts';

/**
 * The guard of every simulate-only HTTP route (/dev/...): an allowed Origin, a loopback Host (DNS
 * rebinding), and a JSON body (so a cross-site request needs a CORS preflight, never granted).
 * Used as a route-level onRequest hook: checked before the body is parsed, never on other routes.
 */
export function devRouteGuard(allowOrigin: (origin: string) => boolean) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    // Host and Origin each exactly once (a repeated one is refused, never resolved).
    const origin = singleOrigin(req.raw.rawHeaders);
    if (!isLoopbackRequest(req.raw) || origin === undefined || !allowOrigin(origin)) {
      return reply.code(403).type('text/plain').send('Forbidden');
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return reply.code(415).type('text/plain').send('Unsupported Media Type');
    }
  };
}
