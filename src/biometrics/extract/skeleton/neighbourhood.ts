/**
 * 3×3 neighbourhood codes and the tables every skeleton stage looks up instead of recomputing.
 * Bit order goes clockwise from north: N=1, NE=2, E=4, SE=8, S=16, SW=32, W=64, NW=128.
 */
export const N = 1;
export const NE = 2;
export const E = 4;
export const SE = 8;
export const S = 16;
export const SW = 32;
export const W = 64;
export const NW = 128;

/** Linear offsets of the 8 neighbours (in bit order) for a buffer with the given row stride. */
export function neighbourOffsets(stride: number): Int32Array {
  return Int32Array.from([-stride, -stride + 1, 1, stride + 1, stride, stride - 1, -1, -stride - 1]);
}

/** (dx, dy) of the 8 neighbours in bit order. */
export const NEIGHBOUR_DX = [0, 1, 1, 1, 0, -1, -1, -1];
export const NEIGHBOUR_DY = [-1, -1, 0, 1, 1, 1, 0, -1];

export function neighbourCode(bin: Uint8Array, i: number, offsets: Int32Array): number {
  // Unrolled and branch-free (every skeleton stage calls this per pixel); `bin` holds 0 or 1.
  return (
    bin[i + offsets[0]] |
    (bin[i + offsets[1]] << 1) |
    (bin[i + offsets[2]] << 2) |
    (bin[i + offsets[3]] << 3) |
    (bin[i + offsets[4]] << 4) |
    (bin[i + offsets[5]] << 5) |
    (bin[i + offsets[6]] << 6) |
    (bin[i + offsets[7]] << 7)
  );
}

/** Set bits in a code (number of neighbours). */
export const COUNT = new Uint8Array(256);
/** 0→1 transitions around the ring (the Zhang–Suen "A"). */
export const TRANSITIONS = new Uint8Array(256);
/**
 * 8-connected groups of neighbours (the crossing number done right: two 4-neighbours on either
 * side of an empty diagonal still touch). 1 = ridge ending, 2 = ridge line, 3 = bifurcation.
 */
export const GROUPS = new Uint8Array(256);

for (let c = 0; c < 256; c++) {
  const bit = (k: number) => (c >> (k & 7)) & 1;
  let count = 0;
  let transitions = 0;
  for (let k = 0; k < 8; k++) {
    count += bit(k);
    if (!bit(k) && bit(k + 1)) transitions++;
  }
  COUNT[c] = count;
  TRANSITIONS[c] = transitions;
  // Union-find over the ring: consecutive members touch; so do 4-neighbours two apart (N-E, E-S, ...).
  const parent = [0, 1, 2, 3, 4, 5, 6, 7];
  const find = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r];
    return r;
  };
  const join = (a: number, b: number) => {
    if (bit(a) && bit(b)) parent[find(a)] = find(b);
  };
  for (let k = 0; k < 8; k++) join(k, (k + 1) & 7);
  for (let k = 0; k < 8; k += 2) join(k, (k + 2) & 7);
  const roots = new Set<number>();
  for (let k = 0; k < 8; k++) if (bit(k)) roots.add(find(k));
  GROUPS[c] = roots.size;
}
