/**
 * The document, not our code, is the contract (issue 10 item 7): test/independent/check_vectors.py
 * implements docs/receipts-and-tickets.md from scratch in Python (Debian's python3-cryptography, its
 * own RFC 8785) and must reach every vector's stated outcome and reason. It shares no code with the
 * project. .ci/setup installs python3-cryptography; /usr/bin/python3 is named because a `python3`
 * earlier on PATH (pyenv, a venv) may lack Debian's module.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../shared-data.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(REPO_ROOT, 'test/independent/check_vectors.py');
const VECTORS = join(REPO_ROOT, 'test/vectors');

function run(dir: string) {
  const r = spawnSync(PYTHON, [SCRIPT, dir], { encoding: 'utf8' });
  if (r.error || r.stderr.includes('ModuleNotFoundError')) {
    throw new Error(
      `${PYTHON} with python3-cryptography is needed (bash .ci/setup installs it): ${r.error?.message ?? r.stderr}`,
    );
  }
  return { status: r.status, report: JSON.parse(r.stdout) as { checked: number; failures: unknown[] } };
}

const count = (manifest: string) =>
  JSON.parse(readFileSync(join(VECTORS, manifest), 'utf8')).vectors.length as number;

describe('independent check of the vectors (Python, python3-cryptography)', () => {
  it('uses Debian python3 with the cryptography module', () => {
    expect(execFileSync(PYTHON, ['-c', 'import cryptography; print("ok")'], { encoding: 'utf8' })).toBe(
      'ok\n',
    );
  });

  it('reaches every stated outcome and reason: valid pass, invalid fail for their reason', () => {
    const { status, report } = run(VECTORS);
    expect(report.failures).toEqual([]);
    expect(status).toBe(0);
    const jcs = JSON.parse(readFileSync(join(VECTORS, 'jcs/rfc8785.json'), 'utf8'));
    expect(report.checked).toBe(
      jcs.numbers.length +
        jcs.documents.length +
        count('receipts/manifest.json') +
        count('tickets/manifest.json'),
    );
  });

  it('fails when a manifest states the wrong outcome (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vectors-'));
    try {
      cpSync(VECTORS, dir, { recursive: true });
      const path = join(dir, 'receipts/manifest.json');
      const m = JSON.parse(readFileSync(path, 'utf8'));
      const tampered = m.vectors.find((v: { file: string }) => v.file === 'card-tampered.json');
      Object.assign(tampered, { expect: 'valid', reason: undefined, index: undefined });
      writeFileSync(path, JSON.stringify(m));
      const { status, report } = run(dir);
      expect(status).toBe(1);
      expect(report.failures).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
