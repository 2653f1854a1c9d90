/**
 * Remembers the nonces of accepted tickets until they expire, so that a ticket cannot be used twice.
 * Memory is bounded by `capacity`: when full, expired nonces are dropped first; when every stored
 * nonce is still live, `remember` reports `full` and the caller refuses the ticket (an attacker who
 * floods the cache must not be able to make it forget a live nonce, which would reopen replay).
 *
 * Pure: the caller passes the clock in (seconds), so tests need no timers.
 */
export type RememberResult = 'ok' | 'replay' | 'full';

export class NonceCache {
  private readonly expiries = new Map<string, number>();
  /** no stored nonce expires before this: a sweep earlier than it cannot free anything */
  private earliestExpiry = Number.POSITIVE_INFINITY;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('nonce capacity must be a positive integer');
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Records `nonce` as used until `expiresAt` (seconds). */
  remember(nonce: string, expiresAt: number, nowSeconds: number): RememberResult {
    const known = this.expiries.get(nonce);
    if (known !== undefined && known > nowSeconds) return 'replay';
    if (known !== undefined) this.expiries.delete(nonce);
    if (this.expiries.size >= this.capacity) {
      this.sweep(nowSeconds);
      if (this.expiries.size >= this.capacity) return 'full';
    }
    this.expiries.set(nonce, expiresAt);
    if (expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
    return 'ok';
  }

  private sweep(nowSeconds: number): void {
    if (nowSeconds < this.earliestExpiry) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [nonce, exp] of this.expiries) {
      if (exp <= nowSeconds) this.expiries.delete(nonce);
      else if (exp < earliest) earliest = exp;
    }
    this.earliestExpiry = earliest;
  }
}
