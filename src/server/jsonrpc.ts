import { BridgeError, ERRORS, type ErrorCode, errorMessages } from '../../protocols/errors.ts';

/**
 * JSON-RPC 2.0 envelopes (api-v1.md "Transport"): pure functions from parsed JSON to a checked
 * request, and from a result or a BridgeError to the response object. No sockets here.
 */
export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  id: JsonRpcId;
  method: string;
  params: unknown;
  /** false for a notification (no `id` member): it gets no response */
  expectsResponse: boolean;
}

export interface JsonRpcWireError {
  code: number;
  message: string;
  data: { reason: ErrorCode; message: { id: string; en: string }; detail?: Record<string, unknown> };
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: unknown }
  | { jsonrpc: '2.0'; id: JsonRpcId; error: JsonRpcWireError };

export type Checked =
  | { ok: true; request: JsonRpcRequest }
  | { ok: false; id: JsonRpcId; error: BridgeError };

const isId = (v: unknown): v is JsonRpcId =>
  v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** Checks one request object (an element of a batch, or the whole message). */
export function checkRequest(value: unknown): Checked {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(null, 'a request must be a JSON object');
  }
  const o = value as Record<string, unknown>;
  const hasId = Object.hasOwn(o, 'id');
  // Echo the id only when it is a valid one; otherwise the spec says null.
  const id = hasId && isId(o.id) ? o.id : null;
  if (o.jsonrpc !== '2.0') return invalid(id, '"jsonrpc" must be "2.0"');
  if (typeof o.method !== 'string' || o.method.length === 0)
    return invalid(id, '"method" must be a non-empty string');
  if (hasId && !isId(o.id)) return invalid(null, '"id" must be a string, a number or null');
  if (Object.hasOwn(o, 'params') && (typeof o.params !== 'object' || o.params === null)) {
    return invalid(id, '"params" must be an object or an array');
  }
  return { ok: true, request: { id, method: o.method, params: o.params, expectsResponse: hasId } };
}

function invalid(id: JsonRpcId, problem: string): Checked {
  return { ok: false, id, error: new BridgeError('INVALID_REQUEST', problem, { problem }) };
}

export function resultResponse(id: JsonRpcId, result: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', id, result };
}

export function errorResponse(id: JsonRpcId, err: BridgeError): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: toWireError(err) };
}

/**
 * `{ code, message: en, data: { reason, message: {id, en}, detail? } }`. The message is the
 * vocabulary's fixed text, not err.message: services may word their messages for the log, and the
 * wire must only ever carry the stable, reviewed texts. INTERNAL never carries detail.
 */
export function toWireError(err: BridgeError): JsonRpcWireError {
  const messages = errorMessages(err.code);
  const data: JsonRpcWireError['data'] = { reason: err.code, message: messages };
  if (err.detail && err.code !== 'INTERNAL') data.detail = err.detail;
  return { code: ERRORS[err.code].rpc, message: messages.en, data };
}

export function notification(method: string, params: Record<string, unknown>) {
  return { jsonrpc: '2.0' as const, method, params };
}
