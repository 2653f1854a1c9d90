import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../../src/security/nonce-cache.ts';

describe('NonceCache', () => {
  it('reports replays while live and forgets after expiry', () => {
    const c = new NonceCache(10);
    expect(c.remember('a', 100, 0)).toBe('ok');
    expect(c.remember('a', 100, 99)).toBe('replay');
    expect(c.remember('a', 300, 100)).toBe('ok');
  });

  it('never holds more than its capacity and never forgets a live nonce', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            nonce: fc.integer({ min: 0, max: 40 }),
            ttl: fc.integer({ min: 1, max: 50 }),
            step: fc.integer({ min: 0, max: 5 }),
          }),
          {
            maxLength: 300,
          },
        ),
        fc.integer({ min: 1, max: 20 }),
        (ops, capacity) => {
          const c = new NonceCache(capacity);
          const live = new Map<string, number>(); // the model: what must still be refused
          let now = 0;
          for (const op of ops) {
            now += op.step;
            const nonce = String(op.nonce);
            const result = c.remember(nonce, now + op.ttl, now);
            const liveExp = live.get(nonce);
            if (liveExp !== undefined && liveExp > now) expect(result).toBe('replay');
            else expect(result).not.toBe('replay');
            if (result === 'ok') live.set(nonce, now + op.ttl);
            if (result === 'full') {
              const liveCount = [...live.values()].filter((e) => e > now).length;
              expect(liveCount).toBe(capacity);
            }
            expect(c.size).toBeLessThanOrEqual(capacity);
          }
        },
      ),
    );
  });

  it('refuses a silly capacity', () => {
    expect(() => new NonceCache(0)).toThrow(RangeError);
  });
});
