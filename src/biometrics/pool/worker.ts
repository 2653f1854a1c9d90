/**
 * Piscina worker entry. Each message names a task of the registry handed over in workerData; the
 * module is imported on first use. The function's outcome is returned as an envelope, so that a task
 * that fails (a BridgeError such as POOR_QUALITY, or a bug) resolves normally and its error code
 * survives the thread boundary; only a dying worker makes piscina reject.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { isBridgeError } from '../../../protocols/errors.ts';
import type { TaskRegistry } from './task-registry.ts';
import { transferablesOf } from './transfer.ts';
import type { TaskEnvelope, TaskMessage } from './wire.ts';

type TaskFunction = (...args: unknown[]) => unknown;

const { registry, preload } = workerData as { registry: TaskRegistry; preload?: boolean };
const loaded = new Map<string, Promise<TaskFunction>>();

function load(name: string): Promise<TaskFunction> {
  let fn = loaded.get(name);
  if (!fn) {
    const entry = registry[name];
    if (!entry) return Promise.reject(new Error(`unknown pool task '${name}'`));
    fn = import(entry.module).then((mod: Record<string, unknown>) => {
      const f = mod[entry.export];
      if (typeof f !== 'function') throw new Error(`${entry.module} has no function '${entry.export}'`);
      return f as TaskFunction;
    });
    // A failed load is tried again by the next task (a module missing now may be installed later).
    fn.catch(() => loaded.delete(name));
    loaded.set(name, fn);
  }
  return fn;
}

// Preloading starts every import now, in the background, so that the first job does not pay for
// it; a module that fails still fails only the tasks that need it, when they run.
if (preload) for (const name of Object.keys(registry)) load(name).catch(() => {});

export default async function run(message: TaskMessage): Promise<unknown> {
  let envelope: TaskEnvelope;
  try {
    const fn = await load(message.task);
    envelope = { ok: true, value: await fn(...message.args) };
  } catch (e) {
    envelope = isBridgeError(e)
      ? { ok: false, code: e.code, message: e.message, detail: e.detail }
      : { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), foreign: true };
  }
  if (!envelope.ok) return envelope;
  const transfer = transferablesOf([envelope.value]);
  if (transfer.length === 0) return envelope;
  // A "movable" tells piscina to post the value with these buffers moved rather than copied.
  return move({ [transferableSymbol]: transfer, [valueSymbol]: envelope } as never);
}
