/**
 * The per-card lockout's arithmetic, pure (verify-lockout.ts keeps the state): failures of one card
 * are wall-clock times in ms, since the count has to survive a restart and only the wall clock does.
 *
 * Clock jumps: a failure time later than now (the clock was set back) is taken as now, so a jump back
 * never stretches a lockout beyond `windowMs` from the moment it is noticed; a jump forward ages the
 * failures and may end a lockout early (setting the clock needs root on the counter PC, which could
 * as well delete the state file).
 */
export function recentFailures(times: readonly number[], now: number, windowMs: number): number[] {
  return times
    .map((t) => Math.min(t, now))
    .filter((t) => t > now - windowMs)
    .sort((a, b) => a - b);
}

/** When the card may be verified again (ms), or undefined when it is not locked out now. */
export function lockedUntil(
  times: readonly number[],
  now: number,
  failures: number,
  windowMs: number,
): number | undefined {
  const recent = recentFailures(times, now, windowMs);
  if (recent.length < failures) return undefined;
  // the window passes once enough of the last failures have aged out to leave failures - 1
  return recent[recent.length - failures] + windowMs;
}
