import type { JsonRpcId } from '../jsonrpc.ts';
import type { MethodDefinition } from '../method-registry.ts';

/** operation.cancel: aborts a pending operation of the same connection (never another client's). */
export function operationMethods(): MethodDefinition[] {
  return [
    {
      name: 'operation.cancel',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['requestId'],
        properties: { requestId: { type: ['string', 'number', 'null'] } },
      },
      long: false,
      needsTicket: false,
      handler: async (params, ctx) => ({ cancelled: ctx.cancel(params.requestId as JsonRpcId) }),
    },
  ];
}
