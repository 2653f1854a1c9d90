/** ISO/IEC 9797-1 padding method 2 (ISO/IEC 7816-4): append 80, then 00 up to a multiple of the block size. */

export function pad(data: Uint8Array, blockSize = 8): Uint8Array {
  const n = (Math.floor(data.length / blockSize) + 1) * blockSize;
  const out = new Uint8Array(n);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Removes method-2 padding; throws RangeError when the padding is malformed. */
export function unpad(padded: Uint8Array, blockSize = 8): Uint8Array {
  if (padded.length === 0 || padded.length % blockSize !== 0)
    throw new RangeError('padded length not a block multiple');
  let i = padded.length - 1;
  // At most one whole block of padding: a longer run of zeros means the data was not padded.
  const floor = padded.length - blockSize;
  while (i >= floor && padded[i] === 0x00) i--;
  if (i < floor || padded[i] !== 0x80) throw new RangeError('bad ISO 9797-1 method 2 padding');
  return padded.slice(0, i);
}
