/**
 * A FIFO lock. pcsclite 1.0.1 does not expose SCardBeginTransaction, so a multi-APDU sequence is
 * kept together inside the daemon by this lock (the daemon is the only process that talks to the
 * e-KTP reader on a counter PC; a vendor tool using the reader at the same time is not supported).
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private held = false;
  private waiters = 0;

  get locked(): boolean {
    return this.held || this.waiters > 0;
  }

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const prev = this.tail;
    this.tail = prev.then(() => next);
    this.waiters++;
    await prev;
    this.waiters--;
    this.held = true;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.held = false;
      release();
    };
  }
}
