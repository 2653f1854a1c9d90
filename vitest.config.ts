import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Integration tests start real pcscd / socat / umockdev processes: give them room,
    // and run files one by one where they share a system resource (see test/integration).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // fast-check's seed: fixed unless FC_SEED says otherwise (test/setup/fast-check.ts)
    setupFiles: ['test/setup/fast-check.ts'],
  },
});
