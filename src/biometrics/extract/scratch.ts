/**
 * Image-sized working buffers of one extraction (normalised image, filter passes, binary image,
 * skeleton lists, walk stamps), reused from one extraction to the next on the same thread.
 *
 * Why: an extraction needs about 4.5 MB of such buffers at 388×374. Allocated fresh, they are
 * off-heap memory that V8 only gives back in a full mark-compact, which the external-memory
 * pressure then requests every few extractions (measured with --trace-gc: 23 mark-compacts in 160
 * extractions, 5-18 ms each), about 2 ms per extraction on average and the long tail of a verify.
 * Zero-filling a reused buffer costs a few tens of microseconds.
 *
 * Extraction is synchronous, so one set of buffers per thread is never used by two extractions at
 * once. Each slot belongs to one stage's buffer, so no two buffers alive in one extraction alias.
 * Nothing that leaves extractMinutiae (its result) points into a reused buffer; debug snapshots do,
 * so with a debug sink the extractor takes FRESH_BUFFERS instead.
 */
export type ScratchSlot =
  | 'normalised'
  | 'padded'
  | 'along'
  | 'response'
  | 'binary'
  | 'live'
  | 'doomed'
  | 'doomedBefore'
  | 'doomedEarlier'
  | 'thinMarks'
  | 'thinCandidates'
  | 'visit';

export interface Scratch {
  /** A zero-filled Float32Array of `length`. */
  float32(slot: ScratchSlot, length: number): Float32Array;
  /** A zero-filled Uint8Array of `length`. */
  uint8(slot: ScratchSlot, length: number): Uint8Array;
  /** A zero-filled Int32Array of `length`. */
  int32(slot: ScratchSlot, length: number): Int32Array;
  /** An Int32Array of `length` whose contents are left from earlier use: the caller writes before it reads. */
  int32Unset(slot: ScratchSlot, length: number): Int32Array;
}

/** New buffers every time: what callers outside the extractor and debug runs get. */
export const FRESH_BUFFERS: Scratch = {
  float32: (_slot, length) => new Float32Array(length),
  uint8: (_slot, length) => new Uint8Array(length),
  int32: (_slot, length) => new Int32Array(length),
  int32Unset: (_slot, length) => new Int32Array(length),
};

/**
 * Buffers larger than this (elements) are not kept between extractions: an occasional huge image
 * (a 1000 dpi scan resampled, a flatbed) should not pin its memory in the worker for good.
 */
const KEEP_MAX = 4 << 20;

type Typed = Float32Array | Uint8Array | Int32Array;

/** Reusing buffers, one per slot and type; a slot grows to the largest length asked of it. */
export class ReusedBuffers implements Scratch {
  private readonly kept = new Map<string, Typed>();

  float32(slot: ScratchSlot, length: number): Float32Array {
    return this.take(`f32:${slot}`, length, (n) => new Float32Array(n), true);
  }

  uint8(slot: ScratchSlot, length: number): Uint8Array {
    return this.take(`u8:${slot}`, length, (n) => new Uint8Array(n), true);
  }

  int32(slot: ScratchSlot, length: number): Int32Array {
    return this.take(`i32:${slot}`, length, (n) => new Int32Array(n), true);
  }

  int32Unset(slot: ScratchSlot, length: number): Int32Array {
    return this.take(`i32:${slot}`, length, (n) => new Int32Array(n), false);
  }

  private take<T extends Typed>(key: string, length: number, make: (n: number) => T, zero: boolean): T {
    const have = this.kept.get(key) as T | undefined;
    if (have && have.length >= length) {
      const view = have.subarray(0, length) as T;
      if (zero) view.fill(0);
      return view;
    }
    const fresh = make(length);
    if (length <= KEEP_MAX) this.kept.set(key, fresh);
    else this.kept.delete(key);
    return fresh;
  }
}

/** This thread's buffers (each worker thread has its own module instance). */
export const THREAD_BUFFERS = new ReusedBuffers();
