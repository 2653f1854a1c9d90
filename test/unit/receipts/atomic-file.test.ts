import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/receipts/atomic-file.ts';

describe('writeFileAtomic', () => {
  it('writes mode 0600 and, run as root, hands the file to the given owner before it appears', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    try {
      const path = join(dir, 'g.gallery');
      writeFileAtomic(path, 'one');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      if (process.getuid?.() !== 0) return; // chown needs root; the unowned write above still ran
      writeFileAtomic(path, 'two', { uid: 65534, gid: 65534 });
      expect(readFileSync(path, 'utf8')).toBe('two');
      expect(statSync(path)).toMatchObject({ uid: 65534, gid: 65534 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
