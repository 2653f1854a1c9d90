import { type BridgeServices, CARD_FIELDS, type CardReadParams } from '../../services/types.ts';

export { CARD_FIELDS };

import type { MethodDefinition } from '../method-registry.ts';
import { ticketSchema, timeoutSchema, withoutTicket } from './common-schemas.ts';

/** card.read (api-v1.md "Methods"). */
export function cardMethods(services: BridgeServices): MethodDefinition[] {
  return [
    {
      name: 'card.read',
      params: {
        type: 'object',
        additionalProperties: false,
        properties: {
          fields: {
            type: 'array',
            items: { type: 'string', enum: CARD_FIELDS },
            uniqueItems: true,
            maxItems: 4,
          },
          timeoutMs: timeoutSchema,
          ticket: ticketSchema,
        },
      },
      long: true,
      needsTicket: true,
      handler: (params, ctx) => services.cardRead(withoutTicket(params) as CardReadParams, ctx.operation),
    },
  ];
}
