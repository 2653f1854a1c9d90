/**
 * Remembers the nonces of tickets so that a ticket authorises one operation only
 * (docs/security.md "When a ticket's nonce is spent").
 *
 * A nonce is first *reserved* (its ticket passed every check; the operation is about to start),
 * then either *spent* (the operation started) or *released* (it was refused before starting: scope,
 * BUSY, bad parameters; the same ticket may be used again). A reserved nonce is refused to a second
 * request ('in-use') so two requests cannot both start on one ticket.
 *
 * A nonce is kept until its ticket can no longer pass the expiry check, on BOTH clocks: the wall
 * clock passed `expiresAt`, and the monotonic clock shows the ticket's whole lifetime (plus skew)
 * elapsed since it was seen. So a wall clock jumping forward does not forget a live nonce, and one
 * corrected backward cannot bring a forgotten one back while the backend's clock is right.
 *
 * Memory is bounded by `capacity`: when full, forgettable nonces go first; when every stored nonce
 * is still live, `reserve` reports 'full' and the caller refuses the ticket (an attacker who floods
 * the cache must not be able to make it forget a live nonce, which would reopen replay).
 *
 * Pure: the caller passes the clocks in (seconds), so tests need no timers.
 */
export type ReserveResult = 'ok' | 'replay' | 'in-use' | 'full';

/** Wall-clock and monotonic seconds, read together. */
export interface Instant {
  wall: number;
  mono: number;
}

interface Entry {
  /** wall seconds after which the ticket fails the expiry check */
  expiresAt: number;
  /** monotonic seconds after which the ticket's whole lifetime has surely passed */
  monoUntil: number;
  spent: boolean;
}

export class NonceCache {
  private readonly entries = new Map<string, Entry>();
  /** nothing stored can be forgotten before this wall time: a sweep earlier frees nothing */
  private earliestExpiry = Number.POSITIVE_INFINITY;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('nonce capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Holds `nonce` for a request about to start. `lifetime` is how long (seconds) its ticket can
   * pass the checks at most, counted from now on the monotonic clock.
   */
  reserve(nonce: string, expiresAt: number, lifetime: number, now: Instant): ReserveResult {
    const known = this.entries.get(nonce);
    if (known && !this.forgettable(known, now)) return known.spent ? 'replay' : 'in-use';
    if (known) this.entries.delete(nonce);
    if (this.entries.size >= this.capacity) {
      this.sweep(now);
      if (this.entries.size >= this.capacity) return 'full';
    }
    this.entries.set(nonce, { expiresAt, monoUntil: now.mono + lifetime, spent: false });
    if (expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
    return 'ok';
  }

  /** The operation started: the nonce is used up. */
  spend(nonce: string): void {
    const e = this.entries.get(nonce);
    if (e) e.spent = true;
  }

  /** The operation did not start: the ticket may be used again. */
  release(nonce: string): void {
    const e = this.entries.get(nonce);
    if (e && !e.spent) this.entries.delete(nonce);
  }

  /** Reserves and spends at once (a nonce restored from disk, or a caller with no two phases). */
  remember(nonce: string, expiresAt: number, lifetime: number, now: Instant): ReserveResult {
    const r = this.reserve(nonce, expiresAt, lifetime, now);
    if (r === 'ok') this.spend(nonce);
    return r;
  }

  /** spent nonces with their wall expiry (for persisting them) */
  *spentEntries(): Iterable<[string, number]> {
    for (const [nonce, e] of this.entries) if (e.spent) yield [nonce, e.expiresAt];
  }

  /**
   * Every nonce not yet forgettable, reserved or spent, with what is left of its monotonic
   * lifetime (for rewriting the journal: after a restart a reserved one counts as spent).
   */
  liveEntries(now: Instant): Array<{ key: string; expiresAt: number; lifetime: number }> {
    const out: Array<{ key: string; expiresAt: number; lifetime: number }> = [];
    for (const [key, e] of this.entries) {
      if (!this.forgettable(e, now))
        out.push({ key, expiresAt: e.expiresAt, lifetime: Math.max(0, e.monoUntil - now.mono) });
    }
    return out;
  }

  private forgettable(e: Entry, now: Instant): boolean {
    return e.expiresAt <= now.wall && e.monoUntil <= now.mono;
  }

  private sweep(now: Instant): void {
    if (now.wall < this.earliestExpiry) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [nonce, e] of this.entries) {
      if (this.forgettable(e, now)) this.entries.delete(nonce);
      else if (e.expiresAt < earliest) earliest = e.expiresAt;
    }
    this.earliestExpiry = earliest;
  }
}
