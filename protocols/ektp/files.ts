/**
 * The file system of profile v1 (§5): DF 7F0A and its EFs. Every EF holds a 2-byte big-endian length
 * L followed by L bytes of content; codecs both ways so the simulator writes what the host reads.
 */

export const DF_KTP = 0x7f0a;

export const EF = {
  CC: 0x6ff0,
  BIODATA: 0x6ff1,
  PHOTO: 0x6ff2,
  SIGNATURE: 0x6ff3,
  MINUTIAE1: 0x6ff4,
  MINUTIAE2: 0x6ff5,
  DS: 0x6ff6,
} as const;

export type EfName = keyof typeof EF;

/** Files that need a secure-messaging session (§5 "access"). */
export const PROTECTED_EFS: ReadonlySet<number> = new Set([
  EF.BIODATA,
  EF.SIGNATURE,
  EF.MINUTIAE1,
  EF.MINUTIAE2,
  EF.DS,
]);

export function efName(fid: number): string {
  for (const [name, id] of Object.entries(EF)) if (id === fid) return `EF.${name}`;
  return `EF.${fid.toString(16).toUpperCase()}`;
}

export const MAX_FILE_CONTENT = 0xffff;

/** Content -> file bytes (2-byte length prefix). */
export function frameFile(content: Uint8Array): Uint8Array {
  if (content.length > MAX_FILE_CONTENT) throw new RangeError('file content longer than 65535 bytes');
  const out = new Uint8Array(content.length + 2);
  out[0] = content.length >> 8;
  out[1] = content.length & 0xff;
  out.set(content, 2);
  return out;
}

/** Total file size announced by the first two bytes (length prefix included). */
export function announcedFileSize(firstBytes: Uint8Array): number {
  if (firstBytes.length < 2) throw new RangeError('fewer than 2 bytes of a file');
  return ((firstBytes[0] << 8) | firstBytes[1]) + 2;
}

/** File bytes -> content; throws RangeError when the length prefix disagrees with the bytes. */
export function unframeFile(file: Uint8Array): Uint8Array {
  if (announcedFileSize(file) !== file.length) throw new RangeError('file length prefix does not match');
  return file.slice(2);
}

/** EF.CC content is 29 or 51 bytes (§3, §4 CALC CHALLENGE P2). */
export function isValidCcLength(n: number): boolean {
  return n === 29 || n === 51;
}
