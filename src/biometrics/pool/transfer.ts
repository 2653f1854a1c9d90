/**
 * Which buffers of a task's arguments or result to move instead of copy. Only typed arrays that own
 * their whole ArrayBuffer are moved: a Node Buffer is often a slice of a shared 8 KiB pool, and
 * moving that would detach unrelated data. Arrays and objects are searched one level deep (an image's
 * `pixels`, a packed gallery's arrays); deeper data is copied.
 */
function ownedBuffer(value: unknown): ArrayBuffer | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const buf = value.buffer;
  if (!(buf instanceof ArrayBuffer)) return undefined;
  return value.byteOffset === 0 && value.byteLength === buf.byteLength && buf.byteLength > 0
    ? buf
    : undefined;
}

export function transferablesOf(values: readonly unknown[]): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    const own = ownedBuffer(v);
    if (own) {
      found.add(own);
      return;
    }
    if (depth === 0 || v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
    for (const inner of Array.isArray(v) ? v : Object.values(v)) visit(inner, depth - 1);
  };
  for (const v of values) visit(v, 1);
  return [...found];
}
