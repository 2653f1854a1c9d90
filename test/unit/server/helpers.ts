import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';
import { loadConfig } from '../../../src/config/index.ts';
import type { Config } from '../../../src/config/types.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { type BridgeServer, createServer } from '../../../src/server/index.ts';
import type { Authorize } from '../../../src/server/method-registry.ts';
import type { BridgeServices, Notification, OperationContext } from '../../../src/services/types.ts';

export const ALLOWED = 'https://klaim.example.go.id';

/**
 * A BridgeServices whose long operations wait until the test releases them (or the signal aborts),
 * reporting progress on the way, and which records what it was called with.
 */
export class FakeServices implements BridgeServices {
  healthy = true;
  calls: Array<{ method: string; params: unknown; ctx?: OperationContext }> = [];
  private listeners = new Set<(n: Notification) => void>();
  private releases = new Map<string, (v: Record<string, unknown>) => void>();
  /** set to make the next long call throw this, refused before it starts (ticket left usable) */
  failWith?: unknown;
  /** set to make the next long call throw this after it started (ticket spent) */
  failAfterStartWith?: unknown;
  /** whether a long call ignores its abort signal (a slow service) */
  ignoreAbort = false;

  async systemInfo() {
    this.calls.push({ method: 'system.info', params: undefined });
    return { version: '0.1.0', deviceId: 'dev-1' };
  }
  async deviceList() {
    return { readers: [], sensors: [] };
  }
  async health() {
    return { ok: this.healthy, readers: this.healthy ? 2 : 0 };
  }
  cardRead(params: Record<string, unknown>, ctx: OperationContext) {
    return this.long('card.read', params, ctx);
  }
  fingerCapture(params: Record<string, unknown>, ctx: OperationContext) {
    return this.long('finger.capture', params, ctx);
  }
  fingerVerify(params: Record<string, unknown>, ctx: OperationContext) {
    return this.long('finger.verify', params, ctx);
  }
  fingerIdentify(params: Record<string, unknown>, ctx: OperationContext) {
    return this.long('finger.identify', params, ctx);
  }
  onNotification(listener: (n: Notification) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(n: Notification) {
    for (const l of this.listeners) l(n);
  }
  get listenerCount() {
    return this.listeners.size;
  }
  /** completes the pending long call of `method` with `result` */
  release(method: string, result: Record<string, unknown> = { done: true }) {
    const r = this.releases.get(method);
    if (!r) throw new Error(`no pending ${method}`);
    this.releases.delete(method);
    r(result);
  }
  isPending(method: string) {
    return this.releases.has(method);
  }

  private long(method: string, params: Record<string, unknown>, ctx: OperationContext) {
    this.calls.push({ method, params, ctx });
    if (this.failWith !== undefined) {
      const e = this.failWith;
      this.failWith = undefined;
      return Promise.reject(e);
    }
    ctx.started?.();
    if (this.failAfterStartWith !== undefined) {
      const e = this.failAfterStartWith;
      this.failAfterStartWith = undefined;
      return Promise.reject(e);
    }
    ctx.progress('started', 10);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      this.releases.set(method, (v) => {
        ctx.progress('finishing', 100);
        resolve(v);
      });
      if (!this.ignoreAbort)
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
    });
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ env: {} });
  return {
    ...base,
    port: 0,
    hosts: ['127.0.0.1'],
    ...overrides,
    security: {
      ...base.security,
      allowedOrigins: [ALLOWED],
      maxMessageBytes: 4096,
      ...(overrides.security ?? {}),
    },
  };
}

export async function startServer(
  opts: { config?: Config; services?: FakeServices; authorize?: Authorize; closeGraceMs?: number } = {},
): Promise<{ server: BridgeServer; port: number; services: FakeServices }> {
  const services = opts.services ?? new FakeServices();
  const server = createServer({
    config: opts.config ?? testConfig(),
    services,
    logger: silentLogger(),
    authorize: opts.authorize,
    closeGraceMs: opts.closeGraceMs,
  });
  const { port } = await server.listen();
  return { server, port, services };
}

export interface WireError {
  code: number;
  message: string;
  data: { reason: string; message: { id: string; en: string }; detail?: Record<string, unknown> };
}
type Msg = {
  id?: unknown;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: WireError;
};

/** A real ws client with a message queue, so tests can await "the next message that matches". */
export class TestClient {
  readonly messages: Msg[] = [];
  private waiters: Array<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];
  closed: Promise<{ code: number }>;
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed = JSON.parse(String(data));
      for (const m of Array.isArray(parsed) ? [{ batch: parsed } as Msg] : [parsed]) {
        this.messages.push(m);
        const w = this.waiters.find((x) => x.pred(m));
        if (w) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
  }

  static open(port: number, origin = ALLOWED, host = `127.0.0.1:${port}`): Promise<TestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1`, { origin, headers: { host } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  next(pred: (m: Msg) => boolean, timeoutMs = 3000): Promise<Msg> {
    const found = this.messages.find(pred);
    if (found) {
      this.messages.splice(this.messages.indexOf(found), 1);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(t);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  send(value: unknown) {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** sends a request and returns its id */
  request(method: string, params?: unknown, id: unknown = this.nextId++): unknown {
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return id;
  }

  response(id: unknown) {
    return this.next((m) => m.id === id && (m.result !== undefined || m.error !== undefined));
  }

  async call(method: string, params?: unknown) {
    return this.response(this.request(method, params));
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}

/** A raw HTTP upgrade with chosen headers; resolves with everything the server sent before closing. */
export function rawUpgrade(port: number, headers: Record<string, string>, path = '/v1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => {
      chunks.push(c);
      // An accepted upgrade keeps the socket open: stop once its headers are complete.
      const text = Buffer.concat(chunks).toString('latin1');
      if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    const lines = [
      `GET ${path} HTTP/1.1`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}
