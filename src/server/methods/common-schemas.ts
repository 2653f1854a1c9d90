/** Param schema pieces shared by the method groups. */

/**
 * A compact JWS. Only its size is checked here: whether it is a well-formed, valid ticket is the
 * ticket seam's decision, so that a malformed one is TICKET_INVALID rather than INVALID_PARAMS.
 */
export const ticketSchema = { type: 'string', minLength: 1, maxLength: 8192 } as const;

/** Operation time limits: 1 ms .. 10 minutes. */
export const timeoutSchema = { type: 'integer', minimum: 1, maximum: 600_000 } as const;

export const noParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Drops the ticket before params reach a service: the verified claims travel in ctx.ticket. */
export function withoutTicket(params: Record<string, unknown>): Record<string, unknown> {
  const { ticket: _ticket, ...rest } = params;
  return rest;
}
