import { describe, expect, it } from 'vitest';
import { type BridgeError, isBridgeError } from '../../../protocols/errors.ts';
import { fieldsWithinScope } from '../../../src/security/scope.ts';
import type { TicketClaims } from '../../../src/services/types.ts';

const ALL = ['biodata', 'photo', 'signature', 'fingers'] as const;
const ticket = (scope: string[]): TicketClaims => ({
  aud: '*',
  origin: 'o',
  op: 'card.read',
  scope,
  nonce: 'n',
  iat: 0,
  exp: 1,
});

describe('fieldsWithinScope', () => {
  it('defaults to every field the scope allows, in the canonical order', () => {
    expect(fieldsWithinScope(undefined, ALL, ticket(['photo', 'biodata', 'unknown']))).toEqual([
      'biodata',
      'photo',
    ]);
    expect(fieldsWithinScope(undefined, ALL, ticket([]))).toEqual([]);
  });

  it('keeps an explicit request inside the scope, refuses one outside it', () => {
    expect(fieldsWithinScope(['photo'], ALL, ticket(['biodata', 'photo']))).toEqual(['photo']);
    try {
      fieldsWithinScope(['biodata', 'fingers'], ALL, ticket(['biodata']));
      throw new Error('expected a refusal');
    } catch (e) {
      expect(isBridgeError(e, 'TICKET_INVALID')).toBe(true);
      expect((e as Error).message).toMatch(/scope does not allow fingers/);
      expect((e as BridgeError).detail).toEqual({
        reason: 'OUT_OF_SCOPE',
        check: 'scope',
        fields: ['fingers'],
      });
    }
  });

  it('without a ticket the request (or everything) goes', () => {
    expect(fieldsWithinScope(undefined, ALL, undefined)).toEqual([...ALL]);
    expect(fieldsWithinScope(['fingers'], ALL, undefined)).toEqual(['fingers']);
  });
});
