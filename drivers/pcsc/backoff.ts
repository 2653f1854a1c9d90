/** Exponential backoff with a ceiling: min, 2·min, 4·min … max, reset after a success. */
export class Backoff {
  private current: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.current = minMs;
  }

  next(): number {
    const wait = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    return wait;
  }

  reset(): void {
    this.current = this.minMs;
  }
}
