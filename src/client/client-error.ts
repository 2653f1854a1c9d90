import type { ErrorCode } from './api-types.ts';

/**
 * Reasons a call can fail with: the daemon's stable codes (api-v1.md "Errors"), plus
 * CONNECTION_CLOSED, the one reason that only the client produces (the socket closed before the
 * answer came; the daemon aborts the operation in that case).
 */
export type ClientErrorReason = ErrorCode | 'CONNECTION_CLOSED';

export class EktpBridgeError extends Error {
  /** stable upper-case code to branch on, e.g. CARD_REMOVED or FINGER_NOT_MATCHED */
  readonly reason: ClientErrorReason;
  /** the JSON-RPC error code (-32006 ...); 0 for CONNECTION_CLOSED */
  readonly code: number;
  /** human messages to show the officer: Indonesian (id) and English (en) */
  readonly messages: { id: string; en: string };
  /** extra, non-personal detail from the daemon (e.g. the invalid field) */
  readonly detail?: Record<string, unknown>;

  constructor(
    reason: ClientErrorReason,
    code: number,
    messages: { id: string; en: string },
    detail?: Record<string, unknown>,
  ) {
    super(messages.en);
    this.name = 'EktpBridgeError';
    this.reason = reason;
    this.code = code;
    this.messages = messages;
    this.detail = detail;
  }

  /** From a JSON-RPC error object as the daemon sends it (tolerant of other servers' shapes). */
  static fromWire(error: unknown): EktpBridgeError {
    const e = (typeof error === 'object' && error !== null ? error : {}) as {
      code?: unknown;
      message?: unknown;
      data?: { reason?: unknown; message?: { id?: unknown; en?: unknown }; detail?: unknown };
    };
    const en = typeof e.data?.message?.en === 'string' ? e.data.message.en : String(e.message ?? 'Error');
    const id = typeof e.data?.message?.id === 'string' ? e.data.message.id : en;
    const reason = (typeof e.data?.reason === 'string' ? e.data.reason : 'INTERNAL') as ClientErrorReason;
    const detail =
      typeof e.data?.detail === 'object' && e.data.detail !== null
        ? (e.data.detail as Record<string, unknown>)
        : undefined;
    return new EktpBridgeError(reason, typeof e.code === 'number' ? e.code : -32603, { id, en }, detail);
  }

  static connectionClosed(): EktpBridgeError {
    return new EktpBridgeError('CONNECTION_CLOSED', 0, {
      id: 'Koneksi ke ektp-bridge terputus',
      en: 'The connection to ektp-bridge closed',
    });
  }
}
