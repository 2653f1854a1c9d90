/**
 * Baud-rate timing model for simulated UART modules. A pty carries bytes as fast as the CPU can,
 * so without a model a 40 KB image "uploads" in milliseconds and nothing about timeouts or
 * progress is exercised. The pacer delays each write until the bytes would have been on the
 * wire: 10 bit times per byte (8N1: start + 8 data + stop), back to back, so
 * transmitMs = bytes x 10 / baud x 1000.
 * Switch it off for fast tests; test the model itself with a fake clock.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const BITS_PER_BYTE_8N1 = 10;

export function transmitMs(bytes: number, baudRate: number): number {
  return (bytes * BITS_PER_BYTE_8N1 * 1000) / baudRate;
}

export interface LinePacerOptions {
  baudRate: number;
  /** false: writes go out at once (fast tests) */
  enabled?: boolean;
  clock?: Clock;
  /**
   * A write that comes less than this long after the line went quiet continues the same burst:
   * the gap is our own processing time, which a real module would have overlapped with sending
   * (default 20 ms). Longer gaps are idle line time and bank no credit.
   */
  burstGapMs?: number;
}

export class LinePacer {
  baudRate: number;
  enabled: boolean;
  private readonly clock: Clock;
  private readonly burstGapMs: number;
  /** when the line finishes sending what was already paced */
  private lineFreeAt = Number.NEGATIVE_INFINITY;

  constructor(options: LinePacerOptions) {
    this.baudRate = options.baudRate;
    this.enabled = options.enabled ?? true;
    this.clock = options.clock ?? realClock;
    this.burstGapMs = options.burstGapMs ?? 20;
  }

  /**
   * Resolves when `bytes` more bytes would have finished crossing the line. Writes queue behind
   * each other, as on a real UART; idle time does not bank credit.
   */
  async pace(bytes: number): Promise<void> {
    if (!this.enabled) return;
    const now = this.clock.now();
    const continuesBurst = now - this.lineFreeAt <= this.burstGapMs;
    const start = continuesBurst ? this.lineFreeAt : now;
    this.lineFreeAt = start + transmitMs(bytes, this.baudRate);
    const wait = this.lineFreeAt - now;
    if (wait > 0) await this.clock.sleep(wait);
  }
}
