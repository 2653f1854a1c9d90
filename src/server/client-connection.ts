import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { ConnectionLimits } from '../config/types.ts';
import { CLOSE, CLOSE_GRACE_MS, type CloseKind } from './close-codes.ts';
import type { Authorize, MethodRegistry } from './method-registry.ts';
import { notificationsDropped, wsClosedByLimit } from './metrics.ts';
import { RpcSession } from './rpc-session.ts';

export interface ClientConnectionOptions {
  ws: WebSocket;
  origin: string;
  limits: ConnectionLimits;
  registry: MethodRegistry;
  logger: Logger;
  authorize?: Authorize;
  /** time a closed client has to read its backlog and the close frame (default CLOSE_GRACE_MS) */
  closeGraceMs?: number;
}

/**
 * One WebSocket client with its bounds (docs/security.md "Connection limits"): what waits to be
 * sent to it (bytes and messages), how many of its requests are being answered at once, and when
 * it was last heard from. A client that does not read is closed (4008) and its operations are
 * cancelled at once; a client at its in-flight limit is simply not read until answers go out, so
 * the kernel's TCP window slows it down. Whatever a client sends, what the daemon holds for it is
 * bounded by these limits plus one socket read.
 */
export class ClientConnection {
  readonly session: RpcSession;
  /** messages handed to the socket and not yet written out */
  private queuedMessages = 0;
  private lastHeard = performance.now();
  private closingAs: CloseKind | undefined;
  private paused = false;

  constructor(private readonly opts: ClientConnectionOptions) {
    const { ws, limits } = opts;
    this.session = new RpcSession({
      registry: opts.registry,
      origin: opts.origin,
      logger: opts.logger,
      authorize: opts.authorize,
      maxPending: limits.maxOperations,
      maxBatch: limits.maxBatch,
      send: (text) => this.send(text),
      onRequestSettled: () => this.maybeResume(),
    });
    ws.on('pong', () => this.heard());
  }

  get origin(): string {
    return this.opts.origin;
  }

  /** Handles one message from the client; errors are logged, never thrown. */
  receive(data: RawData): void {
    this.heard();
    if (this.closingAs) return;
    this.session
      .handleMessage(toText(data))
      .catch((e) => this.opts.logger.error({ err: e }, 'message handling failed'));
    if (this.session.inFlight >= this.opts.limits.maxInFlight && !this.paused) {
      this.paused = true;
      this.opts.ws.pause();
    }
  }

  /**
   * Writes a response or a notification of this client's own operations. Refuses (and closes
   * the client) when what is already waiting exceeds the limits: such a client is not reading.
   */
  send(text: string): void {
    const { ws, limits } = this.opts;
    if (this.closingAs || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > limits.maxQueuedBytes || this.queuedMessages >= limits.maxQueuedMessages) {
      this.shut('NOT_READING');
      return;
    }
    this.write(text);
  }

  /**
   * A broadcast (reader and card events): dropped rather than queued once half the queue is used,
   * since a slow client loses nothing it asked for; it never closes the client by itself.
   */
  broadcast(text: string): void {
    const { ws, limits } = this.opts;
    if (this.closingAs || ws.readyState !== ws.OPEN) return;
    if (
      ws.bufferedAmount > limits.maxQueuedBytes / 2 ||
      this.queuedMessages >= limits.maxQueuedMessages / 2
    ) {
      notificationsDropped.inc();
      return;
    }
    this.write(text);
  }

  /**
   * Called periodically: closes a client silent for idleTimeoutMs (4000), and pings one that has
   * been quiet for `quietMs` so a live browser answers and stays.
   */
  checkIdle(quietMs: number): void {
    const { ws, limits } = this.opts;
    if (this.closingAs || ws.readyState !== ws.OPEN) return;
    const silent = performance.now() - this.lastHeard;
    if (silent > limits.idleTimeoutMs) this.shut('IDLE');
    else if (silent >= quietMs) ws.ping();
  }

  /** Closes with the given reason: operations are cancelled now, the socket cut after a grace time. */
  shut(kind: CloseKind): void {
    if (this.closingAs) return;
    this.closingAs = kind;
    const { ws } = this.opts;
    if (kind !== 'STOPPING') {
      wsClosedByLimit.inc({ reason: kind === 'IDLE' ? 'idle' : 'not-reading' });
      this.opts.logger.info({ origin: this.origin, reason: CLOSE[kind].reason }, 'closing client');
    }
    this.session.close();
    // Its requests from now on are read and dropped (receive()), so that its answer to the close
    // frame is seen and the connection ends as soon as the client has read its backlog.
    if (this.paused) {
      this.paused = false;
      ws.resume();
    }
    ws.close(CLOSE[kind].code, CLOSE[kind].reason);
    setTimeout(() => ws.terminate(), this.opts.closeGraceMs ?? CLOSE_GRACE_MS).unref();
  }

  /** why the daemon closed this client, if it did */
  get closedFor(): CloseKind | undefined {
    return this.closingAs;
  }

  private write(text: string): void {
    this.queuedMessages++;
    this.opts.ws.send(text, () => {
      this.queuedMessages--;
    });
  }

  private heard(): void {
    this.lastHeard = performance.now();
  }

  private maybeResume(): void {
    if (!this.paused || this.closingAs) return;
    if (this.session.inFlight < this.opts.limits.maxInFlight) {
      this.paused = false;
      this.opts.ws.resume();
    }
  }
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
