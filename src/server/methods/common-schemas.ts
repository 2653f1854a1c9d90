/** Param schema pieces shared by the method groups. */

/** A compact JWS (header.payload.signature, base64url); checked for real by the ticket seam. */
export const ticketSchema = {
  type: 'string',
  minLength: 5,
  maxLength: 8192,
  pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
} as const;

/** Operation time limits: 1 ms .. 10 minutes. */
export const timeoutSchema = { type: 'integer', minimum: 1, maximum: 600_000 } as const;

export const noParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Drops the ticket before params reach a service: the verified claims travel in ctx.ticket. */
export function withoutTicket(params: Record<string, unknown>): Record<string, unknown> {
  const { ticket: _ticket, ...rest } = params;
  return rest;
}
