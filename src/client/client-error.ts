import { ERRORS } from '../../protocols/errors.ts';
import type { ErrorCode } from './api-types.ts';
import { CONNECTION_REASONS, type ConnectionReason } from './connection-reasons.ts';

/**
 * Reasons a call can fail with: the daemon's stable codes (api-v1.md "Errors", taken from
 * protocols/errors.ts at build time, so a code added there reaches the SDK), the reasons only
 * connect() gives (connection-reasons.ts), and CONNECTION_CLOSED (the socket closed before the
 * answer came; the daemon aborts the operation in that case).
 */
export type ClientErrorReason = ErrorCode | ConnectionReason | 'CONNECTION_CLOSED';

type Messages = { id: string; en: string };

const CONNECTION_CLOSED: Messages = {
  id: 'Koneksi ke ektp-bridge terputus',
  en: 'The connection to ektp-bridge closed',
};

/** Every reason the SDK knows, in the order of the vocabulary (ORIGIN_FORBIDDEN is in both lists). */
export const KNOWN_REASONS: readonly ClientErrorReason[] = [
  ...new Set<ClientErrorReason>([
    ...(Object.keys(ERRORS) as ErrorCode[]),
    ...(Object.keys(CONNECTION_REASONS) as ConnectionReason[]),
    'CONNECTION_CLOSED',
  ]),
];

export function isKnownReason(reason: string): reason is ClientErrorReason {
  return (KNOWN_REASONS as readonly string[]).includes(reason);
}

/**
 * The Indonesian and English message of a reason; undefined for a code this SDK does not know. A
 * connection reason's message wins over the daemon's for the same code (ORIGIN_FORBIDDEN): only
 * connect() produces it without a message of the daemon's own.
 */
export function reasonMessages(reason: string): Messages | undefined {
  if (reason === 'CONNECTION_CLOSED') return { ...CONNECTION_CLOSED };
  if (Object.hasOwn(CONNECTION_REASONS, reason)) {
    const r = CONNECTION_REASONS[reason as ConnectionReason];
    return { id: r.id, en: r.en };
  }
  if (Object.hasOwn(ERRORS, reason)) {
    const e = ERRORS[reason as ErrorCode];
    return { id: e.id, en: e.en };
  }
  return undefined;
}

export class EktpBridgeError extends Error {
  /**
   * stable upper-case code to branch on, e.g. CARD_REMOVED or LOCAL_NETWORK_BLOCKED. A newer daemon
   * may send a code this SDK does not know yet: it is passed through as is (see isKnownReason).
   */
  readonly reason: ClientErrorReason;
  /** the JSON-RPC error code (-32006 ...); 0 for reasons the client produces */
  readonly code: number;
  /** human messages to show the officer: Indonesian (id) and English (en) */
  readonly messages: Messages;
  /** for connection reasons: what branch IT must do, in Indonesian and English */
  readonly help?: Messages;
  /** extra, non-personal detail from the daemon (e.g. the invalid field) or from the diagnosis */
  readonly detail?: Record<string, unknown>;

  constructor(
    reason: ClientErrorReason,
    code: number,
    messages: Messages,
    detail?: Record<string, unknown>,
    help?: Messages,
  ) {
    super(messages.en);
    this.name = 'EktpBridgeError';
    this.reason = reason;
    this.code = code;
    this.messages = messages;
    this.detail = detail;
    this.help = help;
  }

  /** From a JSON-RPC error object as the daemon sends it (tolerant of other servers' shapes). */
  static fromWire(error: unknown): EktpBridgeError {
    const e = (typeof error === 'object' && error !== null ? error : {}) as {
      code?: unknown;
      message?: unknown;
      data?: { reason?: unknown; message?: { id?: unknown; en?: unknown }; detail?: unknown };
    };
    const reason = (typeof e.data?.reason === 'string' ? e.data.reason : 'INTERNAL') as ClientErrorReason;
    // the daemon's own words first; the SDK's copy of the vocabulary when a server sends none
    const known = reasonMessages(reason);
    const en =
      typeof e.data?.message?.en === 'string'
        ? e.data.message.en
        : (known?.en ?? String(e.message ?? 'Error'));
    const id = typeof e.data?.message?.id === 'string' ? e.data.message.id : (known?.id ?? en);
    const detail =
      typeof e.data?.detail === 'object' && e.data.detail !== null
        ? (e.data.detail as Record<string, unknown>)
        : undefined;
    return new EktpBridgeError(reason, typeof e.code === 'number' ? e.code : -32603, { id, en }, detail);
  }

  static connectionClosed(): EktpBridgeError {
    return new EktpBridgeError('CONNECTION_CLOSED', 0, { ...CONNECTION_CLOSED });
  }

  /** One of connect()'s reasons, with the officer's and branch IT's messages. */
  static connection(reason: ConnectionReason, detail?: Record<string, unknown>): EktpBridgeError {
    const r = CONNECTION_REASONS[reason];
    return new EktpBridgeError(reason, 0, { id: r.id, en: r.en }, detail, { ...r.it });
  }
}
