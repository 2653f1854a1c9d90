/**
 * Structural check of a TIFF file before utif2 sees it. utif2 trusts the file: an IFD chain that
 * loops makes it spin forever, and a value count of four billion makes it push values until the
 * heap is gone (found by fuzzing, test/unit/biometrics/image/fuzz.test.ts). So every directory
 * utif2 will read is walked here first: directories inside the file and visited once, every value
 * array inside the file, at most a few directories deep.
 */
import { undecodable } from './grey.ts';

/** Bytes per value of each TIFF field type (1..13, as utif2 reads them). */
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};
/** Tags whose values point at further directories that utif2 follows. */
const SUB_IFD_TAGS = new Set([330, 34665, 34853, 61440]);
/** DNG private data: utif2 follows a pointer hidden inside it; no fingerprint file carries it. */
const DNG_PRIVATE = 50740;
const MAX_DIRECTORIES = 64;
const MAX_DEPTH = 4;
const MAX_ENTRIES = 1024;

export function checkTiffStructure(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const u16 = (at: number) => view.getUint16(at, le);
  const u32 = (at: number) => view.getUint32(at, le);
  const bad = (why: string) => undecodable('TIFF', why);
  const visited = new Set<number>();

  const directory = (offset: number, depth: number): number => {
    if (depth > MAX_DEPTH) throw bad('directories nest too deep');
    if (visited.has(offset)) throw bad('directories form a loop');
    if (visited.size >= MAX_DIRECTORIES) throw bad('too many directories');
    visited.add(offset);
    if (offset < 8 || offset + 2 > bytes.length) throw bad(`directory offset ${offset} outside the file`);
    const count = u16(offset);
    if (count > MAX_ENTRIES || offset + 2 + count * 12 + 4 > bytes.length)
      throw bad('directory runs past the end');
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      const tag = u16(entry);
      const size = TYPE_SIZE[u16(entry + 2)];
      if (size === undefined) continue; // utif2 skips types it does not know
      if (tag === DNG_PRIVATE) throw bad('DNG private data is not supported');
      const total = u32(entry + 4) * size;
      const valueAt = total <= 4 ? entry + 8 : u32(entry + 8);
      if (valueAt + total > bytes.length) throw bad(`tag ${tag} values lie outside the file`);
      if (SUB_IFD_TAGS.has(tag)) {
        for (let k = 0; k < total / size; k++) {
          directory(size === 2 ? u16(valueAt + 2 * k) : u32(valueAt + size * k), depth + 1);
        }
      }
    }
    return u32(offset + 2 + count * 12);
  };

  if (bytes.length < 8) throw bad('file too short');
  let next = u32(4);
  do next = directory(next, 0);
  while (next !== 0);
}
