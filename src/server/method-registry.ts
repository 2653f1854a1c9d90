import type { ValidateFunction } from 'ajv';
import { BridgeError } from '../../protocols/errors.ts';
import { createAjv, describeAjvError, errorKey } from '../config/ajv.ts';
import type { OperationContext, TicketClaims } from '../services/types.ts';
import type { JsonRpcId } from './jsonrpc.ts';

/** What a method handler gets besides its params. */
export interface CallContext {
  requestId: JsonRpcId;
  /** signal, progress, origin and ticket, as the services expect them */
  operation: OperationContext;
  /** cancels another pending operation of the same connection; false when none is pending */
  cancel(requestId: JsonRpcId): boolean;
}

export interface MethodDefinition {
  name: string;
  /** JSON Schema of `params` (an object; absent params are validated as `{}`) */
  params: Record<string, unknown>;
  /** long operations are tracked for operation.cancel, progress and disconnect */
  long: boolean;
  /** the ticket seam (api-v1.md "Authorisation") runs before the handler */
  needsTicket: boolean;
  handler(params: Record<string, unknown>, ctx: CallContext): Promise<unknown>;
}

export interface RegisteredMethod extends MethodDefinition {
  validate: ValidateFunction;
}

/**
 * What a valid ticket gives: its claims, and its nonce held for this request. The server calls
 * `spend()` once the operation starts (the service says when, or it returned a result) and
 * `release()` when it was refused before starting; the first call wins.
 */
export interface TicketGrant {
  claims: TicketClaims;
  spend(): void;
  release(): void;
}

/** Signature of the ticket check (src/security/tickets.ts; absent means no check). */
export type Authorize = (
  method: string,
  params: Record<string, unknown>,
  ctx: { origin: string; requestId: JsonRpcId },
) => Promise<TicketGrant | undefined>;

/**
 * Method name -> definition with its params validator compiled once, when the method is
 * registered (fastify's "schemas first": bad input never reaches a handler). A Map, not an object,
 * so that names such as `__proto__` or `toString` are simply unknown.
 */
export class MethodRegistry {
  private readonly methods = new Map<string, RegisteredMethod>();
  private readonly ajv = createAjv({
    allErrors: false,
    coerceTypes: false,
    useDefaults: false,
    allowUnionTypes: true,
  });

  register(defs: MethodDefinition[]): this {
    for (const def of defs) {
      if (this.methods.has(def.name)) throw new Error(`method ${def.name} registered twice`);
      this.methods.set(def.name, { ...def, validate: this.ajv.compile(def.params) });
    }
    return this;
  }

  get(name: string): RegisteredMethod | undefined {
    return this.methods.get(name);
  }

  names(): string[] {
    return [...this.methods.keys()];
  }
}

/** Validates params against the method's schema; throws INVALID_PARAMS naming the field. */
export function checkParams(method: RegisteredMethod, params: unknown): Record<string, unknown> {
  if (Array.isArray(params)) {
    throw new BridgeError('INVALID_PARAMS', 'params must be an object (by-name)', {
      problem: 'params must be an object',
    });
  }
  const value = (params ?? {}) as Record<string, unknown>;
  if (!method.validate(value)) {
    const err = method.validate.errors![0];
    // The field name and the rule, never the value (it may be a ticket or a NIK).
    throw new BridgeError('INVALID_PARAMS', `params ${describeAjvError(err)}`, {
      field: errorKey(err) || null,
      problem: describeAjvError(err),
    });
  }
  return value;
}
