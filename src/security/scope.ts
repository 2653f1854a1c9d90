import { BridgeError } from '../../protocols/errors.ts';
import type { TicketClaims } from '../services/types.ts';
import type { TicketRefusal } from './tickets.ts';

/**
 * The fields an operation may return under its ticket's `scope` (api-v1.md: `fields` defaults to all
 * "within the ticket's scope"). Explicitly asking for a field the ticket does not allow is refused
 * rather than silently dropped, so a counter app notices its backend minted too narrow a ticket.
 * Without a ticket (security.requireTickets false) the request decides alone.
 */
export function fieldsWithinScope<T extends string>(
  requested: readonly T[] | undefined,
  all: readonly T[],
  ticket: TicketClaims | undefined,
): T[] {
  if (!ticket) return [...(requested ?? all)];
  const allowed = new Set(ticket.scope);
  if (requested) {
    const outside = requested.filter((f) => !allowed.has(f));
    if (outside.length > 0) {
      throw new BridgeError('TICKET_INVALID', `ticket refused: scope does not allow ${outside.join(', ')}`, {
        reason: 'OUT_OF_SCOPE' satisfies TicketRefusal,
        check: 'scope',
        fields: outside,
      });
    }
    return [...requested];
  }
  return all.filter((f) => allowed.has(f));
}
