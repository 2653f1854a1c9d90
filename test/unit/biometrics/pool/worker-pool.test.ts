import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError, type ErrorCode } from '../../../../protocols/errors.ts';
import { WorkerPool, type WorkerPoolOptions } from '../../../../src/biometrics/pool/index.ts';
import { FIXTURE_TASKS } from './fixtures/registry.ts';

const pools: WorkerPool[] = [];
function pool(options: WorkerPoolOptions = {}): WorkerPool {
  const p = new WorkerPool(FIXTURE_TASKS, { threads: 2, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function failure(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    return e as BridgeError;
  }
  throw new Error('expected the job to fail');
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode> {
  return (await failure(promise)).code;
}

type Slept = { ms: number; threadId: number; isMainThread: boolean };

describe('WorkerPool', () => {
  it('runs tasks on worker threads, never the main thread, on a fixed number of threads', async () => {
    const p = pool({ threads: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, () => p.run<Slept>('sleep', [30])));
    expect(results.every((r) => !r.isMainThread && r.threadId > 0)).toBe(true);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(p.stats()).toMatchObject({ threads: 2, queued: 0, active: 0, completed: 8, failed: 0 });
  });

  it('refuses work beyond the queue limit with BUSY', async () => {
    const p = pool({ threads: 1, maxQueue: 2 });
    await p.run('sleep', [1]); // worker up, so the queue arithmetic is not blurred by start-up
    const jobs = Array.from({ length: 6 }, () => p.run('sleep', [80]));
    const outcomes = await Promise.allSettled(jobs);
    const busy = outcomes.filter((o) => o.status === 'rejected' && (o.reason as BridgeError).code === 'BUSY');
    expect(busy.length).toBeGreaterThanOrEqual(3);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['exitWorker', 'process.exit'],
    ['throwUncaught', 'an uncaught exception'],
  ])(
    'a worker killed by %s (%s): its job is INTERNAL, others go on, the worker is replaced',
    async (task) => {
      const p = pool({ threads: 2 });
      const others = [p.run<Slept>('sleep', [150]), p.run<Slept>('sleep', [150])];
      const crash = p.run(task, []);
      expect(await codeOf(crash)).toBe('INTERNAL');
      expect((await Promise.all(others)).map((r) => r.ms)).toEqual([150, 150]);
      const after = await Promise.all(Array.from({ length: 4 }, () => p.run<Slept>('sleep', [20])));
      expect(new Set(after.map((r) => r.threadId)).size).toBe(2);
      expect(p.stats().failed).toBe(1);
    },
  );

  it('a worker that runs out of memory fails its job with INTERNAL and is replaced', async () => {
    const p = pool({
      threads: 1,
      resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
    });
    expect(await codeOf(p.run('exhaustMemory', []))).toBe('INTERNAL');
    expect((await p.run<Slept>('sleep', [1])).ms).toBe(1);
  });

  it('errors thrown by a task keep their BridgeError code and detail; others become INTERNAL', async () => {
    const p = pool();
    const poor = await failure(p.run('throwBridge', ['POOR_QUALITY']));
    expect([poor.code, poor.message, poor.detail]).toEqual([
      'POOR_QUALITY',
      'fixture failed with POOR_QUALITY',
      { step: 'fixture' },
    ]);
    const plain = await failure(p.run('throwPlain', []));
    expect([plain.code, plain.message, (plain.cause as Error).message]).toEqual([
      'INTERNAL',
      "matcher task 'throwPlain' failed",
      'plain failure',
    ]);
    expect(await codeOf(p.run('missingModule', []))).toBe('INTERNAL');
    expect(await codeOf(p.run('missingExport', []))).toBe('INTERNAL');
    expect(await codeOf(p.run('noSuchTask', []))).toBe('INTERNAL');
    expect((await p.run<Slept>('sleep', [1])).ms).toBe(1);
  });

  it('an AbortSignal cancels a running job (CANCELLED) and a queued one, and the pool carries on', async () => {
    const p = pool({ threads: 1 });
    await p.run('sleep', [1]);
    const running = new AbortController();
    const queued = new AbortController();
    const codes = Promise.all([
      codeOf(p.run('spin', [2000], running.signal)),
      codeOf(p.run('sleep', [10], queued.signal)),
    ]);
    setTimeout(() => {
      queued.abort();
      running.abort();
    }, 50);
    const started = Date.now();
    expect(await codes).toEqual(['CANCELLED', 'CANCELLED']);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await p.run<Slept>('sleep', [1])).ms).toBe(1);
    expect(await codeOf(p.run('sleep', [1], AbortSignal.abort()))).toBe('CANCELLED');
  });

  it('moves owned buffers to the worker and back; copies slices of shared buffers', async () => {
    const p = pool();
    const pixels = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const img = { width: 100, height: 10, pixels };
    const back = await p.run<{ pixels: Uint8Array; received: number }>('invert', [img]);
    expect(back.received).toBe(1000);
    expect(pixels.byteLength).toBe(0); // detached: it was moved, not copied
    expect(back.pixels[1]).toBe(254);
    const slab = new Uint8Array(64);
    const slice = slab.subarray(8, 16);
    await p.run('invert', [{ width: 8, height: 1, pixels: slice }]);
    expect(slab.byteLength).toBe(64); // a view into a larger buffer is copied, never detached
  });

  it('close(): running jobs finish, queued ones are CANCELLED, later ones too', async () => {
    const p = pool({ threads: 1 });
    await p.run('sleep', [1]);
    const running = p.run<Slept>('sleep', [150]);
    await new Promise((r) => setTimeout(r, 30));
    const queued = Promise.all([codeOf(p.run('sleep', [10])), codeOf(p.run('sleep', [10]))]);
    const closed = p.close();
    expect((await running).ms).toBe(150);
    expect(await queued).toEqual(['CANCELLED', 'CANCELLED']);
    await closed;
    expect(await codeOf(p.run('sleep', [1]))).toBe('CANCELLED');
  });

  it('close(): a running job that outlives closeTimeoutMs is CANCELLED and close() still returns', async () => {
    const p = pool({ threads: 1, closeTimeoutMs: 100 });
    await p.run('sleep', [1]);
    const stuck = codeOf(p.run('spin', [5000]));
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    await p.close();
    expect(await stuck).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('workers that cannot start fail queued and later jobs with INTERNAL instead of hanging', async () => {
    const workerFile = fileURLToPath(new URL('./fixtures/broken-entry.mjs', import.meta.url));
    const p = pool({ threads: 2, workerFile });
    const timeout = (ms: number) =>
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('hung')), ms));
    expect(await Promise.race([codeOf(p.run('sleep', [1])), timeout(5000)])).toBe('INTERNAL');
    await new Promise((r) => setTimeout(r, 200)); // let the second worker fail too
    const later = await Promise.race([failure(p.run('sleep', [1])), timeout(5000)]);
    expect([later.code, later.message]).toEqual(['INTERNAL', 'matcher workers cannot start']);
  });

  it.each([true, false])(
    'preload %s: task modules are imported when the worker starts, or on first use',
    async (preload) => {
      const p = pool({ threads: 1, preload });
      await new Promise((r) => setTimeout(r, 2500)); // worker started, preloading (if any) done
      const askedAt = Date.now();
      const evaluatedAt = await p.run<number>('moduleEvaluatedAt', []);
      if (preload) expect(evaluatedAt).toBeLessThan(askedAt);
      else expect(evaluatedAt).toBeGreaterThanOrEqual(askedAt);
      expect(await codeOf(p.run('missingModule', []))).toBe('INTERNAL');
    },
  );

  it('rejects nonsense sizes', () => {
    expect(() => new WorkerPool(FIXTURE_TASKS, { threads: 0 })).toThrow(BridgeError);
    expect(() => new WorkerPool(FIXTURE_TASKS, { threads: 1, maxQueue: -1 })).toThrow(BridgeError);
  });
});
