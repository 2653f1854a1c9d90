import { API_VERSION } from '../../protocols/api-version.ts';
import type {
  CardReadParams,
  CardReadResult,
  DeviceList,
  FingerCaptureParams,
  FingerCaptureResult,
  FingerIdentifyParams,
  FingerIdentifyResult,
  FingerVerifyParams,
  FingerVerifyResult,
  MethodName,
  NotificationName,
  Notifications,
  ParamsOf,
  ProgressParams,
  RequestId,
  ResultOf,
  SystemInfo,
} from './api-types.ts';
import { EktpBridgeError } from './client-error.ts';
import { diagnoseConnectFailure } from './diagnose.ts';

/**
 * Typed client for API v1, for browsers (global WebSocket) and Node (the `ws` package). It uses only
 * the WHATWG WebSocket surface that both share, so it imports nothing from Node.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type WebSocketConstructor = new (url: string, optionsOrProtocols?: unknown) => WebSocketLike;

export interface ClientOptions {
  /** WebSocket implementation; default: the global one, else `ws` (Node) */
  WebSocket?: WebSocketConstructor;
  /**
   * Node only: the Origin header to send (the daemon refuses connections without an allowed
   * Origin). Browsers send their own and ignore this. Setting it selects the `ws` package when no
   * WebSocket implementation is given.
   */
  origin?: string;
  /** how long connect() waits for the WebSocket to open (ms; default 10000) */
  connectTimeoutMs?: number;
}

export interface CallOptions {
  /** operation.progress for this call */
  onProgress?(progress: ProgressParams): void;
  /** aborting sends operation.cancel; the call then rejects with reason CANCELLED */
  signal?: AbortSignal;
}

/** The promise of a call, with its JSON-RPC id and a way to cancel it. */
export type OperationPromise<T> = Promise<T> & { readonly requestId: number; cancel(): Promise<boolean> };

export const DEFAULT_URL = 'ws://127.0.0.1:7215/v1';
const OPEN = 1;

interface Pending {
  resolve(value: unknown): void;
  reject(err: EktpBridgeError): void;
  onProgress?: (p: ProgressParams) => void;
}

export class EktpBridgeClient {
  private ws?: WebSocketLike;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: never) => void>>();
  private readonly closeListeners = new Set<(ev: { code: number; reason: string }) => void>();

  constructor(private readonly options: ClientOptions = {}) {}

  get connected(): boolean {
    return this.ws?.readyState === OPEN;
  }

  /**
   * Opens the connection and checks that the daemon speaks this SDK's API version (as web-eid.js's
   * status() does). Resolves with the daemon's system.info. Rejects with an EktpBridgeError whose
   * `reason` says what to fix (diagnose.ts): LOCAL_NETWORK_BLOCKED, DAEMON_UNREACHABLE,
   * ORIGIN_FORBIDDEN or VERSION_MISMATCH; `messages` is for the officer, `help` for branch IT.
   */
  async connect(url: string = DEFAULT_URL): Promise<SystemInfo> {
    if (this.ws && this.ws.readyState <= OPEN) throw new Error('already connected or connecting');
    const Ctor = await this.resolveWebSocket();
    let ws: WebSocketLike;
    try {
      ws = this.options.origin !== undefined ? new Ctor(url, { origin: this.options.origin }) : new Ctor(url);
    } catch (e) {
      // a malformed URL, or a page on https asking for ws:// in a browser that forbids it
      throw EktpBridgeError.connection('DAEMON_UNREACHABLE', { url, cause: String(e) });
    }
    this.ws = ws;
    const closeCode = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => {
        ws.close();
        resolve(undefined);
      }, this.options.connectTimeoutMs ?? 10_000);
      ws.onopen = () => {
        clearTimeout(timer);
        resolve(-1);
      };
      ws.onerror = () => {}; // the close event that follows carries what we need
      ws.onclose = (ev) => {
        clearTimeout(timer);
        resolve(ev.code);
        this.onClosed(ev);
      };
    });
    if (closeCode !== -1) {
      this.ws = undefined;
      throw await diagnoseConnectFailure(url, closeCode, { origin: this.options.origin });
    }
    ws.onclose = (ev) => this.onClosed(ev);
    ws.onmessage = (ev) => this.onMessage(ev.data);
    const info = await this.systemInfo();
    // A daemon that does not say is from before the field existed: it served /v1, so API 1.
    const daemonApi = typeof info.apiVersion === 'number' ? info.apiVersion : 1;
    if (daemonApi !== API_VERSION) {
      this.close();
      throw EktpBridgeError.connection('VERSION_MISMATCH', {
        sdkApiVersion: API_VERSION,
        daemonApiVersion: daemonApi,
        daemonVersion: info.version,
      });
    }
    return info;
  }

  /** Calls a method. The returned promise also carries `requestId` and `cancel()`. */
  call<M extends MethodName>(
    method: M,
    params?: ParamsOf<M>,
    options: CallOptions = {},
  ): OperationPromise<ResultOf<M>> {
    const id = this.nextId++;
    const promise = new Promise<ResultOf<M>>((resolve, reject) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== OPEN) {
        reject(EktpBridgeError.connectionClosed());
        return;
      }
      if (options.signal?.aborted) {
        reject(cancelledLocally());
        return;
      }
      const signal = options.signal;
      const onAbort = () => void this.cancel(id).catch(() => {});
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => {
          settle();
          resolve(v as ResultOf<M>);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
        onProgress: options.onProgress,
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: params ?? {} }));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return Object.assign(promise, { requestId: id, cancel: () => this.cancel(id) });
  }

  /** Asks the daemon to cancel one of this connection's operations; true if it was still running. */
  async cancel(requestId: RequestId): Promise<boolean> {
    const r = await this.call('operation.cancel', { requestId });
    return r.cancelled;
  }

  systemInfo(): Promise<SystemInfo> {
    return this.call('system.info');
  }
  deviceList(): Promise<DeviceList> {
    return this.call('device.list');
  }
  cardRead(params: CardReadParams = {}, options?: CallOptions): OperationPromise<CardReadResult> {
    return this.call('card.read', params, options);
  }
  fingerCapture(
    params: FingerCaptureParams = {},
    options?: CallOptions,
  ): OperationPromise<FingerCaptureResult> {
    return this.call('finger.capture', params, options);
  }
  fingerVerify(params: FingerVerifyParams = {}, options?: CallOptions): OperationPromise<FingerVerifyResult> {
    return this.call('finger.verify', params, options);
  }
  fingerIdentify(
    params: FingerIdentifyParams,
    options?: CallOptions,
  ): OperationPromise<FingerIdentifyResult> {
    return this.call('finger.identify', params, options);
  }

  /** Subscribes to a server notification; returns the unsubscribe function. */
  on<N extends NotificationName>(name: N, listener: (params: Notifications[N]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (params: never) => void);
    return () => set.delete(listener as (params: never) => void);
  }

  /** Called when the connection closes (by either side), with the WebSocket close code. */
  onClose(listener: (ev: { code: number; reason: string }) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.ws?.close(1000);
  }

  private onMessage(data: unknown): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // the daemon only sends JSON; anything else is not ours to act on
    }
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) this.dispatch(m);
  }

  private dispatch(m: unknown): void {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    if (typeof msg.method === 'string') {
      const params = (msg.params ?? {}) as Record<string, unknown>;
      if (msg.method === 'operation.progress') {
        const p = params as unknown as ProgressParams;
        if (typeof p.requestId === 'number') this.pending.get(p.requestId)?.onProgress?.(p);
      }
      for (const l of this.listeners.get(msg.method) ?? []) {
        try {
          (l as (p: unknown) => void)(params);
        } catch {
          // a listener's bug must not break the connection for every other call
        }
      }
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error !== undefined) p.reject(EktpBridgeError.fromWire(msg.error));
    else p.resolve(msg.result);
  }

  private onClosed(ev: { code: number; reason: string }): void {
    for (const p of this.pending.values()) p.reject(EktpBridgeError.connectionClosed());
    this.pending.clear();
    for (const l of this.closeListeners) l({ code: ev.code, reason: ev.reason });
  }

  private async resolveWebSocket(): Promise<WebSocketConstructor> {
    if (this.options.WebSocket) return this.options.WebSocket;
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (global && this.options.origin === undefined) return global;
    // Node: `ws` lets us set Origin. The name is a variable so browser bundlers do not pull it in.
    const name = 'ws';
    const mod = (await import(/* @vite-ignore */ name)) as { default: WebSocketConstructor };
    return mod.default;
  }
}

function cancelledLocally(): EktpBridgeError {
  return new EktpBridgeError('CANCELLED', -32016, {
    id: 'Operasi dibatalkan',
    en: 'The operation was cancelled',
  });
}
