import type { BridgeServices } from '../../services/types.ts';
import type { MethodDefinition } from '../method-registry.ts';
import { ticketSchema, timeoutSchema, withoutTicket } from './common-schemas.ts';

/** ISO/IEC 19794-2 finger positions 0 (unknown) .. 10 (left little). */
const fingerPosition = { type: 'integer', minimum: 0, maximum: 10 } as const;

/** finger.capture, finger.verify, finger.identify (api-v1.md "Methods"). */
export function fingerMethods(services: BridgeServices): MethodDefinition[] {
  return [
    {
      name: 'finger.capture',
      params: {
        type: 'object',
        additionalProperties: false,
        properties: {
          sensorId: { type: 'string', minLength: 1, maxLength: 200 },
          timeoutMs: timeoutSchema,
          preview: { type: 'boolean' },
          ticket: ticketSchema,
        },
      },
      long: true,
      needsTicket: true,
      handler: (params, ctx) => services.fingerCapture(withoutTicket(params), ctx.operation),
    },
    {
      name: 'finger.verify',
      params: {
        type: 'object',
        additionalProperties: false,
        properties: {
          fingers: { type: 'array', items: fingerPosition, uniqueItems: true, minItems: 1, maxItems: 10 },
          maxAttempts: { type: 'integer', minimum: 1, maximum: 10 },
          timeoutMs: timeoutSchema,
          sensorId: { type: 'string', minLength: 1, maxLength: 200 },
          // finger.preview frames while each attempt captures (the claim screen's live preview)
          preview: { type: 'boolean' },
          ticket: ticketSchema,
        },
      },
      long: true,
      needsTicket: true,
      handler: (params, ctx) => services.fingerVerify(withoutTicket(params), ctx.operation),
    },
    {
      name: 'finger.identify',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['gallery'],
        properties: {
          gallery: { type: 'string', minLength: 1, maxLength: 200 },
          topK: { type: 'integer', minimum: 1, maximum: 100 },
          timeoutMs: timeoutSchema,
          sensorId: { type: 'string', minLength: 1, maxLength: 200 },
          ticket: ticketSchema,
        },
      },
      long: true,
      needsTicket: true,
      handler: (params, ctx) => services.fingerIdentify(withoutTicket(params), ctx.operation),
    },
  ];
}
