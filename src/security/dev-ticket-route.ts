import type { FastifyInstance } from 'fastify';
import type { DevBackend } from './dev-backend.ts';
import { devRouteGuard } from './dev-route-guard.ts';

/** The methods that take a ticket (api-v1.md "Authorisation"). */
export const TICKET_OPS = ['card.read', 'finger.verify', 'finger.capture', 'finger.identify'] as const;

export interface DevTicketRouteOptions {
  backend: DevBackend;
  /** the same allowlist the WebSocket upgrade uses (configured origins plus the daemon's own) */
  allowOrigin(origin: string): boolean;
  /** the device id for `aud` (default `*`) */
  deviceId?: string;
}

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['op'],
  properties: {
    op: { enum: [...TICKET_OPS] },
    scope: { type: 'array', maxItems: 8, uniqueItems: true, items: { type: 'string', maxLength: 32 } },
    ttlSeconds: { type: 'integer', minimum: 1, maximum: 300 },
  },
} as const;

/**
 * POST /dev/ticket: the development backend over HTTP, so the reference page at / (or a counter app
 * under development) can run a demo against `serve --simulate`. Register it ONLY in simulate mode.
 *
 * Even there it hands a ticket only to a page whose Origin is allowed, and the ticket is bound to
 * that Origin (taken from the header, not the body): another site cannot get a ticket for itself
 * (its Origin is not allowed) nor for an allowed origin. The JSON body makes a cross-site request
 * need a CORS preflight, which this route never grants. Loopback Host only (DNS rebinding).
 */
export function devTicketRoute(opts: DevTicketRouteOptions) {
  return async function devTicket(app: FastifyInstance): Promise<void> {
    const guard = devRouteGuard(opts.allowOrigin);
    app.post<{ Body: { op: string; scope?: string[]; ttlSeconds?: number } }>(
      '/dev/ticket',
      { schema: { body: bodySchema }, onRequest: guard },
      async (req, reply) => {
        const ttlSeconds = req.body.ttlSeconds ?? 120;
        const ticket = await opts.backend.mint({
          op: req.body.op,
          scope: req.body.scope ?? ['biodata', 'photo', 'signature', 'fingers'],
          origin: req.headers.origin as string,
          aud: opts.deviceId,
          ttlSeconds,
        });
        return reply.header('cache-control', 'no-store').send({ ticket, expiresInSeconds: ttlSeconds });
      },
    );
  };
}
