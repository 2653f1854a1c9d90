/**
 * Minutiae sets packed into two flat Float64Arrays, so that a gallery reaches the workers as a few
 * buffers instead of thousands of cloned objects (structured clone of objects costs main-thread
 * time, which the pool exists to keep free). A gallery is packed into SharedArrayBuffers
 * (packSetsShared), which every worker reads in place. Float64 keeps values exact, so a packed
 * comparison scores exactly like an in-process one.
 */
import type { Minutia, MinutiaeSet, MinutiaType } from '../../../protocols/biometrics/types.ts';

export interface PackedSets {
  /** per set: width, height, dpiX, dpiY, quality, fingerPosition, minutiae count */
  sets: Float64Array;
  /** per minutia: x, y, angle, type code, quality */
  minutiae: Float64Array;
}

const SET_FIELDS = 7;
const MINUTIA_FIELDS = 5;
const TYPES: MinutiaType[] = ['other', 'ending', 'bifurcation'];
const TYPE_CODE: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };

export function packSets(list: readonly MinutiaeSet[], shared = false): PackedSets {
  let total = 0;
  for (const s of list) total += s.minutiae.length;
  const alloc = (n: number): Float64Array =>
    shared
      ? new Float64Array(new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT))
      : new Float64Array(n);
  const sets = alloc(list.length * SET_FIELDS);
  const minutiae = alloc(total * MINUTIA_FIELDS);
  let m = 0;
  list.forEach((s, i) => {
    sets.set(
      [s.width, s.height, s.dpiX, s.dpiY, s.quality, s.fingerPosition, s.minutiae.length],
      i * SET_FIELDS,
    );
    for (const p of s.minutiae) {
      minutiae[m] = p.x;
      minutiae[m + 1] = p.y;
      minutiae[m + 2] = p.angle;
      minutiae[m + 3] = TYPE_CODE[p.type] ?? 0;
      minutiae[m + 4] = p.quality;
      m += MINUTIA_FIELDS;
    }
  });
  return { sets, minutiae };
}

export function unpackSets(packed: PackedSets): MinutiaeSet[] {
  const out: MinutiaeSet[] = [];
  let m = 0;
  for (let i = 0; i < packed.sets.length / SET_FIELDS; i++) {
    out.push(unpackSet(packed, i, m));
    m += packed.sets[i * SET_FIELDS + 6];
  }
  return out;
}

/** Set `index` of a packed list whose minutiae start at minutia number `firstMinutia`. */
export function unpackSet(packed: PackedSets, index: number, firstMinutia: number): MinutiaeSet {
  const { sets, minutiae } = packed;
  const i = index * SET_FIELDS;
  const count = sets[i + 6];
  const list: Minutia[] = new Array(count);
  for (let k = 0, m = firstMinutia * MINUTIA_FIELDS; k < count; k++, m += MINUTIA_FIELDS) {
    list[k] = {
      x: minutiae[m],
      y: minutiae[m + 1],
      angle: minutiae[m + 2],
      type: TYPES[minutiae[m + 3]] ?? 'other',
      quality: minutiae[m + 4],
    };
  }
  return {
    width: sets[i],
    height: sets[i + 1],
    dpiX: sets[i + 2],
    dpiY: sets[i + 3],
    quality: sets[i + 4],
    fingerPosition: sets[i + 5],
    minutiae: list,
  };
}

/** offsets[i] = number of minutiae before set i; offsets[list.length] = total. */
export function minutiaOffsets(list: readonly MinutiaeSet[]): Uint32Array {
  const offsets = new Uint32Array(list.length + 1);
  for (let i = 0; i < list.length; i++) offsets[i + 1] = offsets[i] + list[i].minutiae.length;
  return offsets;
}

/**
 * A gallery packed once into SharedArrayBuffers: posting it to a worker shares the memory instead of
 * copying or moving it, so every 1:N call can hand the whole gallery to every thread for free.
 */
export interface SharedSets extends PackedSets {
  count: number;
  /** offsets[i] = number of minutiae before set i */
  offsets: Uint32Array;
}

export function packSetsShared(list: readonly MinutiaeSet[]): SharedSets {
  const { sets, minutiae } = packSets(list, true);
  const offsets = new Uint32Array(new SharedArrayBuffer((list.length + 1) * Uint32Array.BYTES_PER_ELEMENT));
  offsets.set(minutiaOffsets(list));
  return { count: list.length, sets, minutiae, offsets };
}
