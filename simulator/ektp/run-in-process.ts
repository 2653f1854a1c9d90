/**
 * Drives a profile sequence (protocols/ektp) straight against simulated devices, with no PC/SC in
 * between: the smallest possible driver loop, for unit tests and quick experiments. The daemon's real
 * loop lives in src/ and adds channels, timeouts and cancellation.
 */
import type { Sequence, Step } from '../../protocols/ektp/steps.ts';
import type { SimulatedDevice } from './device.ts';

export interface InProcessTrace {
  /** every step seen, in order (APDU bytes included) */
  steps: Step[];
  /** raw responses, aligned with the transmit steps */
  responses: Uint8Array[];
}

export function runInProcess<T>(
  seq: Sequence<T>,
  devices: { card?: SimulatedDevice; sam?: SimulatedDevice },
  trace?: InProcessTrace,
): T {
  let r = seq.next();
  while (!r.done) {
    const step = r.value;
    trace?.steps.push(step);
    if (step.kind === 'progress') {
      r = seq.next(undefined);
      continue;
    }
    const device = devices[step.target];
    if (!device) throw new Error(`no ${step.target} device given`);
    const response = device.transmit(step.apdu);
    trace?.responses.push(response);
    r = seq.next(response);
  }
  return r.value;
}
