import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../../src/security/nonce-cache.ts';

/** both clocks at the same reading (no jump) */
const at = (wall: number, mono = wall) => ({ wall, mono });

describe('NonceCache', () => {
  it('reports replays while live and forgets after expiry', () => {
    const c = new NonceCache(10);
    expect(c.remember('a', 100, 100, at(0))).toBe('ok');
    expect(c.remember('a', 100, 100, at(99))).toBe('replay');
    expect(c.remember('a', 300, 200, at(100))).toBe('ok');
  });

  it('a reserved nonce is in use, then either spent (replay) or released (usable again)', () => {
    const c = new NonceCache(10);
    expect(c.reserve('a', 100, 100, at(0))).toBe('ok');
    expect(c.reserve('a', 100, 100, at(1))).toBe('in-use');
    c.release('a');
    expect(c.reserve('a', 100, 100, at(2))).toBe('ok');
    c.spend('a');
    expect(c.reserve('a', 100, 100, at(3))).toBe('replay');
    // releasing a spent nonce changes nothing
    c.release('a');
    expect(c.reserve('a', 100, 100, at(4))).toBe('replay');
    expect([...c.spentEntries()]).toEqual([['a', 100]]);
  });

  it('keeps a nonce when the wall clock jumps forward past its expiry', () => {
    const c = new NonceCache(1);
    expect(c.remember('a', 100, 100, at(0, 0))).toBe('ok');
    // wall +1 h, but only 10 s really passed: the ticket may still be valid once the clock is fixed
    expect(c.reserve('b', 4000, 100, at(3600, 10))).toBe('full');
    expect(c.reserve('a', 100, 100, at(50, 11))).toBe('replay');
    // once its whole lifetime passed on the monotonic clock too, it makes room
    expect(c.reserve('b', 4000, 100, at(3700, 101))).toBe('ok');
  });

  it('keeps a nonce when the wall clock jumps backward', () => {
    const c = new NonceCache(1);
    expect(c.remember('a', 100, 100, at(0, 0))).toBe('ok');
    // wall -1 h, 200 s really passed: the wall clock says the ticket is valid again: keep it
    expect(c.reserve('a', 100, 100, at(-3600, 200))).toBe('replay');
  });

  it('never holds more than its capacity and never forgets a live nonce', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            nonce: fc.integer({ min: 0, max: 40 }),
            ttl: fc.integer({ min: 1, max: 50 }),
            step: fc.integer({ min: 0, max: 5 }),
            outcome: fc.constantFrom('spend', 'release', 'keep'),
          }),
          { maxLength: 300 },
        ),
        fc.integer({ min: 1, max: 20 }),
        (ops, capacity) => {
          const c = new NonceCache(capacity);
          // the model: nonces that must still be refused, and those reserved but not settled
          const spent = new Map<string, number>();
          const held = new Map<string, number>();
          let now = 0;
          for (const op of ops) {
            now += op.step;
            const nonce = String(op.nonce);
            const result = c.reserve(nonce, now + op.ttl, op.ttl, at(now));
            const spentExp = spent.get(nonce);
            const heldExp = held.get(nonce);
            if (spentExp !== undefined && spentExp > now) expect(result).toBe('replay');
            else if (heldExp !== undefined && heldExp > now) expect(result).toBe('in-use');
            else expect(['ok', 'full']).toContain(result);
            if (result === 'ok') {
              if (op.outcome === 'spend') {
                c.spend(nonce);
                spent.set(nonce, now + op.ttl);
                held.delete(nonce);
              } else if (op.outcome === 'release') {
                c.release(nonce);
                held.delete(nonce);
              } else held.set(nonce, now + op.ttl);
            }
            if (result === 'full') {
              const live = [...spent.values(), ...held.values()].filter((e) => e > now).length;
              expect(live).toBe(capacity);
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
