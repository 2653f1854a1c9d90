import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Config, ConnectionLimits } from '../config/types.ts';
import type { BridgeServices } from '../services/types.ts';
import { httpRoutes } from './http-routes.ts';
import { listenError } from './listen-error.ts';
import type { Authorize } from './method-registry.ts';
import { createMethodRegistry } from './methods/index.ts';
import { statusRoute } from './status-route.ts';
import { originAllowlist } from './upgrade-guard.ts';
import { WsGateway } from './ws-gateway.ts';

export interface CreateServerOptions {
  config: Config;
  services: BridgeServices;
  logger: Logger;
  /** the ticket seam, called before card.read and finger.*; absent means no check */
  authorize?: Authorize;
  /** how long a client closed by a limit has to read its backlog (default 1 s; tests) */
  closeGraceMs?: number;
}

export interface BridgeServer {
  /** binds every configured loopback address on config.port (0 = a free port) */
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
  /** WebSocket clients connected now, and those being closed by a limit (tests, the flood bench) */
  connections(): { clients: number; closing: string[] };
  app: FastifyInstance;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The daemon's HTTP + WebSocket server on one port: fastify for /health, /metrics and the page,
 * ws for /v1. fastify owns the first listening address; every further loopback address gets a
 * plain http.Server with the same request handler and the same upgrade handler.
 */
export function createServer({
  config,
  services,
  logger,
  authorize,
  closeGraceMs,
}: CreateServerOptions): BridgeServer {
  const log = logger.child({ component: 'server' });
  let handler: Handler | undefined;
  const app = Fastify({
    loggerInstance: log,
    // Per-request lines add nothing here (URLs are fixed) and would flood the journal with /metrics.
    logController: new LogController({ disableRequestLogging: true }),
    // Only the primary server is fastify's; the handler is kept for the others.
    serverFactory: (h: Handler) => {
      handler = h;
      return boundedHttpServer(h, config.connections);
    },
  });
  app.register(httpRoutes(services));

  let port = config.port;
  const allowlist = () =>
    originAllowlist(config.security.allowedOrigins, config.security.allowSelfOrigin, port);
  app.register(statusRoute(allowlist));
  const gateway = new WsGateway({
    registry: createMethodRegistry(services),
    logger: log,
    authorize,
    maxMessageBytes: config.security.maxMessageBytes,
    limits: config.connections,
    closeGraceMs,
    allowlist,
  });
  gateway.attach(app.server);

  if (config.security.requireTickets && !authorize) {
    // Tickets are checked by the `authorize` seam; without it every operation runs unchecked.
    log.warn('security.requireTickets is set but no ticket check is wired: operations are not authorised');
  }
  const unsubscribe = services.onNotification((n) => gateway.broadcast(n));
  const extraServers: Server[] = [];

  async function listen(): Promise<{ port: number }> {
    const [first, ...rest] = config.hosts;
    try {
      await app.listen({ host: first, port: config.port });
    } catch (e) {
      throw listenError(e, first, config.port);
    }
    port = (app.server.address() as AddressInfo).port;
    for (const host of rest) {
      const server = boundedHttpServer(handler!, config.connections);
      gateway.attach(server);
      try {
        await listenOn(server, host, port);
        extraServers.push(server);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // ::1 does not exist in some containers and on hosts with IPv6 disabled; IPv4 is enough.
        if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') {
          log.warn({ host, code }, 'loopback address not available; not listening on it');
        } else {
          await app.close();
          throw listenError(e, host, port);
        }
      }
    }
    log.info(
      { port, hosts: [first, ...extraServers.map((s) => (s.address() as AddressInfo).address)] },
      'listening',
    );
    return { port };
  }

  async function close(): Promise<void> {
    unsubscribe();
    await gateway.close();
    await Promise.all(
      extraServers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    await app.close();
  }

  // fastify's instance type carries the logger type; callers only need the base interface.
  const connections = () => ({ clients: gateway.clientCount, closing: gateway.closedFor() });
  return { listen, close, connections, app: app as unknown as FastifyInstance };
}

/**
 * An http.Server whose sockets are bounded too (docs/security.md "Connection limits"): a connection
 * has handshakeTimeoutMs to send its request headers (the WebSocket upgrade included), and the
 * number of sockets is capped a little above connections.maxTotal, so /health and a 429 answer to
 * one upgrade too many still get through while a flood of idle sockets does not.
 */
function boundedHttpServer(h: Handler, limits: ConnectionLimits): Server {
  const server = createHttpServer(
    {
      headersTimeout: limits.handshakeTimeoutMs,
      requestTimeout: limits.handshakeTimeoutMs * 2,
      // how often Node checks the two timeouts above (its default, 30 s, would let them slip)
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.handshakeTimeoutMs / 4))),
      keepAliveTimeout: 5000,
    },
    h,
  );
  server.maxConnections = limits.maxTotal + SPARE_SOCKETS;
  return server;
}

/** sockets beyond connections.maxTotal for HTTP requests and for refusing upgrades with 429 */
const SPARE_SOCKETS = 32;

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
