/**
 * The seam between the server (src/server) and the services. The server maps JSON-RPC requests to
 * these calls and service events to notifications; it knows nothing of APDUs or images.
 */
export interface OperationContext {
  /** aborted by operation.cancel, by the client disconnecting, or by the daemon shutting down */
  signal: AbortSignal;
  /**
   * sends operation.progress { requestId, step, percent } to the requesting client; `detail` adds
   * fields (finger.verify: `reason` of a failed attempt)
   */
  progress(step: string, percent: number, detail?: Record<string, unknown>): void;
  /** the JSON-RPC id of the request (finger events carry it as requestId) */
  requestId?: string | number | null;
  /** sends a notification to the requesting client only (finger.placed, finger.preview, ...) */
  notify?(method: string, params: Record<string, unknown>): void;
  /** the connection's Origin header (already checked against the allowlist) */
  origin: string;
  /** claims of the verified ticket, when the method needed one (issue: tickets and receipts) */
  ticket?: TicketClaims;
  /**
   * The service calls this when the operation really starts (it holds its device, after every
   * refusal it can give: scope, BUSY, bad parameters): the ticket's nonce is spent then. Refused
   * before it, the ticket stays usable. A result always spends it, called or not.
   */
  started?(): void;
}

export interface TicketClaims {
  aud: string;
  origin: string;
  op: string;
  scope: string[];
  nonce: string;
  iat: number;
  exp: number;
}

/** The fields card.read can return (api-v1.md); a ticket's scope names a subset of them. */
export const CARD_FIELDS = ['biodata', 'photo', 'signature', 'fingers'] as const;
export type CardField = (typeof CARD_FIELDS)[number];

export interface CardReadParams {
  fields?: CardField[];
  timeoutMs?: number;
}

/** Server notifications (api-v1.md "Notifications"), broadcast to every connected client. */
export type Notification = { method: string; params: Record<string, unknown> };

export interface BridgeServices {
  systemInfo(): Promise<Record<string, unknown>>;
  deviceList(): Promise<Record<string, unknown>>;
  health(): Promise<{ ok: boolean } & Record<string, unknown>>;
  cardRead(params: CardReadParams, ctx: OperationContext): Promise<Record<string, unknown>>;
  fingerCapture(params: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>>;
  fingerVerify(params: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>>;
  fingerIdentify(params: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>>;
  /** subscribe to notifications; returns an unsubscribe function */
  onNotification(listener: (n: Notification) => void): () => void;
}
