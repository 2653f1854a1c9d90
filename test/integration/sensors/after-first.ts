/**
 * Runs `action` once a simulated module has received `code` at least once: tests that want "the
 * finger arrives while the driver is polling" must not depend on timers racing a loaded machine.
 */
export function afterFirst(received: readonly number[], code: number, action: () => void): void {
  const timer = setInterval(() => {
    if (received.includes(code)) {
      clearInterval(timer);
      action();
    }
  }, 5);
}
