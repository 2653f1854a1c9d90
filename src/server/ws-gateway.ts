import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { ConnectionLimits } from '../config/types.ts';
import type { Notification } from '../services/types.ts';
import { ClientConnection } from './client-connection.ts';
import { CLOSE_GRACE_MS } from './close-codes.ts';
import type { Authorize, MethodRegistry } from './method-registry.ts';
import { wsClients, wsRefused } from './metrics.ts';
import { checkUpgrade, upgradeHeaders } from './upgrade-guard.ts';

export const WS_PATH = '/v1';

export interface WsGatewayOptions {
  registry: MethodRegistry;
  logger: Logger;
  authorize?: Authorize;
  maxMessageBytes: number;
  limits: ConnectionLimits;
  /** see ClientConnectionOptions.closeGraceMs (tests on a slow machine) */
  closeGraceMs?: number;
  /** read at each upgrade: the self origins depend on the port, known only after listen() */
  allowlist(): ReadonlySet<string>;
}

/**
 * The WebSocket side of the server: the upgrade (ws in noServer mode, so that a refusal is exactly
 * one HTTP status line and nothing else), the connection limits (total and per Origin), one
 * ClientConnection per client, the idle sweep, and broadcasting.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, ClientConnection>();
  private readonly perOrigin = new Map<string, number>();
  private readonly idleTimer: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly opts: WsGatewayOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxMessageBytes,
      // Compression would let a small frame inflate into a large message; there is nothing worth
      // compressing on loopback anyway.
      perMessageDeflate: false,
      clientTracking: false,
    });
    // A quarter of the idle timeout: a live client is pinged at least twice before it would be
    // closed, so one late pong does not cost a counter its connection.
    const sweepMs = Math.max(250, Math.floor(opts.limits.idleTimeoutMs / 4));
    this.idleTimer = setInterval(() => {
      for (const c of this.clients.values()) c.checkIdle(sweepMs);
    }, sweepMs);
    this.idleTimer.unref();
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** the clients the daemon is closing or closed for a limit (tests, metrics) */
  closedFor(): string[] {
    return [...this.clients.values()].map((c) => c.closedFor).filter((k): k is NonNullable<typeof k> => !!k);
  }

  broadcast(n: Notification): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ jsonrpc: '2.0', method: n.method, params: n.params });
    for (const c of this.clients.values()) c.broadcast(text);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.idleTimer);
    const closed = [...this.clients.entries()].map(
      ([ws, c]) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          c.shut('STOPPING');
          // A client that does not answer the close handshake is cut off (shut() also does, later).
          setTimeout(() => ws.terminate(), Math.min(500, CLOSE_GRACE_MS)).unref();
        }),
    );
    await Promise.all(closed);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset during the handshake must not become an uncaught exception.
    socket.on('error', () => {});
    const path = (req.url ?? '').split('?')[0];
    if (this.closing) {
      refuse(socket, '503 Service Unavailable');
      return;
    }
    if (path !== WS_PATH) {
      wsRefused.inc({ reason: 'path' });
      refuse(socket, '404 Not Found');
      return;
    }
    // From the raw header lines: a repeated Host or Origin is refused, not resolved (upgrade-guard.ts).
    const headers = upgradeHeaders(req.rawHeaders);
    const verdict = checkUpgrade(headers, this.opts.allowlist());
    if (!verdict.ok) {
      wsRefused.inc({ reason: verdict.reason });
      this.opts.logger.warn(
        { reason: verdict.reason, origin: clip(headers.origin), host: clip(headers.host) },
        'WebSocket upgrade refused',
      );
      refuse(socket, '403 Forbidden');
      return;
    }
    const originKey = verdict.origin.toLowerCase();
    const { maxTotal, maxPerOrigin } = this.opts.limits;
    if (this.clients.size >= maxTotal || (this.perOrigin.get(originKey) ?? 0) >= maxPerOrigin) {
      wsRefused.inc({ reason: 'limit' });
      this.opts.logger.warn(
        { origin: clip(verdict.origin), clients: this.clients.size },
        'WebSocket upgrade refused: too many connections',
      );
      refuse(socket, '429 Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, verdict.origin, originKey));
  }

  private onConnection(ws: WebSocket, origin: string, originKey: string): void {
    const log = this.opts.logger;
    const client = new ClientConnection({
      ws,
      origin,
      limits: this.opts.limits,
      registry: this.opts.registry,
      logger: log,
      authorize: this.opts.authorize,
      closeGraceMs: this.opts.closeGraceMs,
    });
    this.clients.set(ws, client);
    this.perOrigin.set(originKey, (this.perOrigin.get(originKey) ?? 0) + 1);
    wsClients.inc();
    log.info({ origin, clients: this.clients.size }, 'client connected');
    ws.on('message', (data: RawData) => client.receive(data));
    // 'error' comes before 'close' for protocol violations (oversized message: 1009, bad UTF-8: 1007).
    ws.on('error', (e) => log.info({ code: (e as { code?: string }).code }, 'client connection error'));
    ws.on('close', (code) => {
      client.session.close();
      if (this.clients.delete(ws)) {
        wsClients.dec();
        const left = (this.perOrigin.get(originKey) ?? 1) - 1;
        if (left > 0) this.perOrigin.set(originKey, left);
        else this.perOrigin.delete(originKey);
      }
      log.info({ origin, code, clients: this.clients.size }, 'client disconnected');
    });
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\n\r\n`);
}

// Header values in a log line: bounded, since a client chooses them.
function clip(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return String(v).slice(0, 200);
}
