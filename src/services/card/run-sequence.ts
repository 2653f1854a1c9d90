import type { CardChannel } from '../../../drivers/pcsc/types.ts';
import type { Step } from '../../../protocols/ektp/read-sequence.ts';
import { BridgeError, isBridgeError } from '../../../protocols/errors.ts';

export interface SequenceIo {
  card?: CardChannel;
  sam?: CardChannel;
  signal?: AbortSignal;
  progress?: (step: string, percent: number) => void;
  /** counts APDUs per target, for metrics and the benchmark */
  onApdu?: (target: 'card' | 'sam', commandBytes: number, responseBytes: number) => void;
}

/**
 * Drives a sans-IO protocol sequence (protocols/ektp) over real channels: each `transmit` step goes
 * to the card or the SAM and its raw response is fed back; `progress` steps become notifications.
 * Cancellation is honoured between APDUs, never in the middle of one (a half-sent secure-messaging
 * exchange would desynchronise the send sequence counter anyway).
 */
export async function runSequence<T>(
  gen: Generator<Step, T, Uint8Array | undefined>,
  io: SequenceIo,
): Promise<T> {
  let input: Uint8Array | undefined;
  try {
    for (;;) {
      if (io.signal?.aborted) throw new BridgeError('CANCELLED');
      const r = gen.next(input);
      if (r.done) return r.value;
      const step = r.value;
      if (step.kind === 'progress') {
        io.progress?.(step.step, step.percent);
        input = undefined;
        continue;
      }
      const channel = step.target === 'card' ? io.card : io.sam;
      if (!channel) throw new BridgeError(step.target === 'card' ? 'NO_CARD' : 'NO_SAM');
      input = await transmitOn(channel, step.target, step.apdu, step.label);
      io.onApdu?.(step.target, step.apdu.length, input.length);
    }
  } finally {
    gen.return(undefined as T);
  }
}

/**
 * The SAM's channel reports its SAM (or its whole reader) gone as CARD_REMOVED, like any channel;
 * to the counter that is NO_SAM: its e-KTP card was not touched.
 */
async function transmitOn(
  channel: CardChannel,
  target: 'card' | 'sam',
  apdu: Uint8Array,
  label: string,
): Promise<Uint8Array> {
  try {
    return await channel.transmit(apdu);
  } catch (e) {
    if (target === 'sam' && isBridgeError(e, 'CARD_REMOVED')) {
      throw new BridgeError(
        'NO_SAM',
        'The SAM stopped answering (removed or powered down)',
        { step: label, samRemoved: true },
        { cause: e },
      );
    }
    throw e;
  }
}
