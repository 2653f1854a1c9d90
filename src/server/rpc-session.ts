import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { BridgeError, toBridgeError } from '../../protocols/errors.ts';
import type { OperationContext } from '../services/types.ts';
import {
  checkRequest,
  errorResponse,
  type JsonRpcId,
  type JsonRpcResponse,
  notification,
  resultResponse,
} from './jsonrpc.ts';
import {
  type Authorize,
  type CallContext,
  checkParams,
  type MethodRegistry,
  type RegisteredMethod,
  type TicketGrant,
} from './method-registry.ts';
import { rpcDuration, rpcRequests, UNKNOWN_METHOD_LABEL } from './metrics.ts';

export interface RpcSessionOptions {
  registry: MethodRegistry;
  /** the connection's Origin (already allowed) */
  origin: string;
  /** writes one text frame to this client; must not throw once the client has gone */
  send(text: string): void;
  logger: Logger;
  authorize?: Authorize;
  /** long operations one connection may have in flight; more get BUSY */
  maxPending?: number;
  /** requests in one batch; a larger batch is refused as a whole */
  maxBatch?: number;
  /** called each time a request has been answered (the connection resumes reading on it) */
  onRequestSettled?(): void;
}

interface Pending {
  controller: AbortController;
  done: boolean;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * One WebSocket connection's JSON-RPC state: parses messages, dispatches them to the registry,
 * tracks long operations (cancel, progress, abort on disconnect) and writes responses. It sees
 * text in and text out only, so tests and the fuzzer drive it without a socket.
 */
export class RpcSession {
  private readonly pending = new Map<string, Pending>();
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private closed = false;
  private handling = 0;

  constructor(private readonly opts: RpcSessionOptions) {
    this.maxPending = opts.maxPending ?? 8;
    this.maxBatch = opts.maxBatch ?? 20;
  }

  /** Handles one message; resolves once its response (if any) has been sent, with that response. */
  async handleMessage(text: string): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      rpcRequests.inc({ method: UNKNOWN_METHOD_LABEL, outcome: 'PARSE_ERROR' });
      return this.reply(errorResponse(null, new BridgeError('PARSE_ERROR')));
    }
    if (!Array.isArray(parsed)) {
      const response = await this.handleOne(parsed);
      return response && this.reply(response);
    }
    if (parsed.length === 0 || parsed.length > this.maxBatch) {
      const problem = parsed.length === 0 ? 'empty batch' : `a batch holds at most ${this.maxBatch} requests`;
      rpcRequests.inc({ method: UNKNOWN_METHOD_LABEL, outcome: 'INVALID_REQUEST' });
      return this.reply(errorResponse(null, new BridgeError('INVALID_REQUEST', problem, { problem })));
    }
    const responses = (await Promise.all(parsed.map((item) => this.handleOne(item)))).filter(
      (r): r is JsonRpcResponse => r !== undefined,
    );
    // A batch of notifications only gets no answer at all (JSON-RPC 2.0 §6).
    return responses.length > 0 ? this.reply(responses) : undefined;
  }

  /** Sends a server notification to this client. */
  notify(method: string, params: Record<string, unknown>): void {
    if (!this.closed) this.opts.send(JSON.stringify(notification(method, params)));
  }

  /** Aborts a pending long operation of this connection. */
  cancel(requestId: JsonRpcId): boolean {
    const entry = this.pending.get(keyOf(requestId));
    if (!entry || entry.done || entry.controller.signal.aborted) return false;
    entry.controller.abort(new BridgeError('CANCELLED'));
    return true;
  }

  /** The client went away (or the daemon stops): abort everything still running. */
  close(): void {
    this.closed = true;
    for (const entry of this.pending.values()) entry.controller.abort(new BridgeError('CANCELLED'));
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Requests (each of a batch) received and not yet answered, other than the long operations
   * running (those have their own bound, maxPending), so operation.cancel always gets through.
   */
  get inFlight(): number {
    return this.handling - this.pending.size;
  }

  private async handleOne(value: unknown): Promise<JsonRpcResponse | undefined> {
    this.handling++;
    try {
      return await this.answerOne(value);
    } finally {
      this.handling--;
      this.opts.onRequestSettled?.();
    }
  }

  private async answerOne(value: unknown): Promise<JsonRpcResponse | undefined> {
    const started = performance.now();
    const checked = checkRequest(value);
    if (!checked.ok) {
      rpcRequests.inc({ method: UNKNOWN_METHOD_LABEL, outcome: checked.error.code });
      return errorResponse(checked.id, checked.error);
    }
    const { request } = checked;
    // Notifications from a client are ignored: every method of API v1 has a result worth reading,
    // and running an operation nobody waits for would hold devices for nothing.
    if (!request.expectsResponse) return undefined;
    const method = this.opts.registry.get(request.method);
    const label = method ? method.name : UNKNOWN_METHOD_LABEL;
    try {
      // Checked for every request, not only long ones: a short answer under the id of a pending
      // operation would give the client two responses with one id (docs/api/README.md, Messages).
      this.refuseIdInUse(request.id);
      if (!method) throw new BridgeError('METHOD_NOT_FOUND');
      const params = checkParams(method, request.params);
      const result = method.long
        ? await this.runLong(method, request.id, params)
        : await method.handler(
            params,
            this.context(request.id, NEVER_ABORTED, () => {}),
          );
      rpcRequests.inc({ method: label, outcome: 'ok' });
      return resultResponse(request.id, result ?? null);
    } catch (e) {
      const err = toBridgeError(e);
      rpcRequests.inc({ method: label, outcome: err.code });
      if (err.code === 'INTERNAL') {
        // The cause stays in the log (redacted by key); the client only learns "INTERNAL".
        this.opts.logger.error({ err: err.cause ?? err, method: label }, 'request failed');
      } else {
        this.opts.logger.debug({ method: label, reason: err.code }, 'request refused');
      }
      return errorResponse(request.id, err);
    } finally {
      rpcDuration.observe({ method: label }, (performance.now() - started) / 1000);
    }
  }

  private async runLong(
    method: RegisteredMethod,
    id: JsonRpcId,
    params: Record<string, unknown>,
  ): Promise<unknown> {
    const key = keyOf(id);
    this.refuseIdInUse(id);
    if (this.pending.size >= this.maxPending) throw new BridgeError('BUSY', 'too many operations in flight');
    if (this.closed) throw new BridgeError('CANCELLED');
    const entry: Pending = { controller: new AbortController(), done: false };
    this.pending.set(key, entry);
    try {
      const { signal } = entry.controller;
      const progress = (step: string, percent: number, detail?: Record<string, unknown>) => {
        if (entry.done || this.closed) return;
        this.notify('operation.progress', {
          ...detail,
          requestId: id,
          step,
          percent: clampPercent(percent),
        });
      };
      const ctx = this.context(id, signal, progress);
      const grant = method.needsTicket ? await this.authorize(method, params, id, signal) : undefined;
      if (grant) {
        ctx.operation.ticket = grant.claims;
        ctx.operation.started = () => grant.spend();
      }
      const work = Promise.resolve().then(() => method.handler(params, ctx));
      if (grant) {
        // Decided by how the service itself ended, not by a cancel that answered the client
        // first: a result spends the nonce; a refusal before started() releases it.
        work.then(
          () => grant.spend(),
          () => grant.release(),
        );
      }
      return await raceAbort(work, signal);
    } finally {
      entry.done = true;
      this.pending.delete(key);
    }
  }

  private refuseIdInUse(id: JsonRpcId): void {
    if (this.pending.has(keyOf(id))) {
      const problem = 'this id is already used by a pending request of this connection';
      throw new BridgeError('INVALID_REQUEST', problem, { problem });
    }
  }

  /** The ticket check, abortable; a grant that arrives after an abort is released at once. */
  private async authorize(
    method: RegisteredMethod,
    params: Record<string, unknown>,
    id: JsonRpcId,
    signal: AbortSignal,
  ): Promise<TicketGrant | undefined> {
    if (!this.opts.authorize) return undefined;
    const authorizing = this.opts.authorize(method.name, params, { origin: this.opts.origin, requestId: id });
    try {
      return await raceAbort(authorizing, signal);
    } catch (e) {
      authorizing.then(
        (g) => g?.release(),
        () => {},
      );
      throw e;
    }
  }

  private context(
    requestId: JsonRpcId,
    signal: AbortSignal,
    progress: OperationContext['progress'],
  ): CallContext {
    return {
      requestId,
      operation: {
        signal,
        progress,
        origin: this.opts.origin,
        requestId,
        notify: (method: string, params: Record<string, unknown>) => this.notify(method, params),
      },
      cancel: (target) => this.cancel(target),
    };
  }

  private reply<T extends JsonRpcResponse | JsonRpcResponse[]>(response: T): T {
    if (this.closed) return response;
    let text: string;
    try {
      text = JSON.stringify(response);
    } catch (e) {
      // A service returned something JSON cannot carry (BigInt, a cycle): answer INTERNAL instead.
      this.opts.logger.error({ err: e }, 'response not serialisable');
      const fix = (r: JsonRpcResponse) => {
        try {
          JSON.stringify(r);
          return r;
        } catch {
          return errorResponse(r.id, new BridgeError('INTERNAL'));
        }
      };
      text = JSON.stringify(Array.isArray(response) ? response.map(fix) : fix(response));
    }
    this.opts.send(text);
    return response;
  }
}

/** 1 and "1" are different ids (JSON-RPC compares them by value and type). */
function keyOf(id: JsonRpcId): string {
  return JSON.stringify(id);
}

function clampPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(100, Math.max(0, Math.round(p)));
}

/**
 * Settles with `work`, or rejects with CANCELLED as soon as `signal` aborts: the client gets its
 * answer at once even if a service is slow to notice the signal. Whatever `work` does later is
 * absorbed here (no unhandled rejection).
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const cancelled = () =>
    signal.reason instanceof BridgeError ? signal.reason : new BridgeError('CANCELLED');
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
