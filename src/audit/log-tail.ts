import type { FileHandle } from 'node:fs/promises';

export interface LogTail {
  /** the last complete line (without its newline), or undefined when there is none */
  lastLine?: string;
  /** byte offset where that line starts (its line number is not known without reading it all) */
  lastLineOffset: number;
  /** bytes after the last newline: a line whose write a crash cut short */
  tornBytes: Buffer;
  /** file offset where the torn bytes start (= the size the file should have) */
  goodSize: number;
}

/**
 * Reads just the end of the log: enough to find the last complete line and anything after it.
 * Starting the daemon stays fast however long the log grows.
 */
export async function readLogTail(fh: Pick<FileHandle, 'stat' | 'read'>): Promise<LogTail> {
  const size = (await fh.stat()).size;
  let chunk = 64 * 1024;
  for (;;) {
    const start = Math.max(0, size - chunk);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const lastNl = buf.lastIndexOf(0x0a);
    const prevNl = lastNl > 0 ? buf.lastIndexOf(0x0a, lastNl - 1) : -1;
    // enough read when both ends of the last complete line are inside the buffer
    if (start === 0 || prevNl >= 0) {
      if (lastNl < 0) return { lastLineOffset: 0, tornBytes: buf, goodSize: start };
      const lineStart = prevNl + 1;
      return {
        lastLine: buf.subarray(lineStart, lastNl).toString('utf8'),
        lastLineOffset: start + lineStart,
        tornBytes: buf.subarray(lastNl + 1),
        goodSize: start + lastNl + 1,
      };
    }
    chunk *= 4;
  }
}

/** The first line of the file (without its newline), if one is complete within the first 64 KiB. */
export async function readFirstLine(fh: Pick<FileHandle, 'read'>): Promise<string | undefined> {
  const buf = Buffer.alloc(64 * 1024);
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
  return nl < 0 ? undefined : buf.subarray(0, nl).toString('utf8');
}
