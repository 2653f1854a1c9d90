import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Notification } from '../services/types.ts';
import type { Authorize, MethodRegistry } from './method-registry.ts';
import { notificationsDropped, wsClients, wsRefused } from './metrics.ts';
import { RpcSession } from './rpc-session.ts';
import { checkUpgrade } from './upgrade-guard.ts';

export const WS_PATH = '/v1';
// A client that stopped reading (a frozen tab) must not grow the daemon's memory without bound:
// beyond this much unsent data, broadcast notifications to it are dropped (responses never are).
const MAX_BUFFERED_FOR_NOTIFICATIONS = 1 << 20;

export interface WsGatewayOptions {
  registry: MethodRegistry;
  logger: Logger;
  authorize?: Authorize;
  maxMessageBytes: number;
  /** read at each upgrade: the self origins depend on the port, known only after listen() */
  allowlist(): ReadonlySet<string>;
}

/**
 * The WebSocket side of the server: the upgrade (ws in noServer mode, so that a refusal is exactly
 * `HTTP/1.1 403 Forbidden` and nothing else), one RpcSession per connection, and broadcasting.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, RpcSession>();
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
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
  }

  get clientCount(): number {
    return this.clients.size;
  }

  broadcast(n: Notification): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ jsonrpc: '2.0', method: n.method, params: n.params });
    for (const ws of this.clients.keys()) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_FOR_NOTIFICATIONS) {
        notificationsDropped.inc();
        continue;
      }
      ws.send(text);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const closed = [...this.clients.keys()].map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1001, 'daemon stopping');
          // A client that does not answer the close handshake is cut off.
          setTimeout(() => ws.terminate(), 500).unref();
        }),
    );
    for (const session of this.clients.values()) session.close();
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
    const verdict = checkUpgrade(req.headers, this.opts.allowlist());
    if (!verdict.ok) {
      wsRefused.inc({ reason: verdict.reason });
      this.opts.logger.warn(
        { reason: verdict.reason, origin: clip(req.headers.origin), host: clip(req.headers.host) },
        'WebSocket upgrade refused',
      );
      refuse(socket, '403 Forbidden');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, verdict.origin));
  }

  private onConnection(ws: WebSocket, origin: string): void {
    const log = this.opts.logger;
    const session = new RpcSession({
      registry: this.opts.registry,
      origin,
      logger: log,
      authorize: this.opts.authorize,
      send: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      },
    });
    this.clients.set(ws, session);
    wsClients.inc();
    log.info({ origin, clients: this.clients.size }, 'client connected');
    ws.on('message', (data: RawData) => {
      session.handleMessage(toText(data)).catch((e) => log.error({ err: e }, 'message handling failed'));
    });
    // 'error' comes before 'close' for protocol violations (oversized message: 1009, bad UTF-8: 1007).
    ws.on('error', (e) => log.info({ code: (e as { code?: string }).code }, 'client connection error'));
    ws.on('close', (code) => {
      session.close();
      if (this.clients.delete(ws)) wsClients.dec();
      log.info({ origin, code, clients: this.clients.size }, 'client disconnected');
    });
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\n\r\n`);
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

// Header values in a log line: bounded, since a client chooses them.
function clip(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return String(v).slice(0, 200);
}
