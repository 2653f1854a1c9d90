/** The package is publishable on its own: it imports nothing of the daemon, only its declared deps. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PKG = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));

describe('@ektp-bridge/verifier stands alone', () => {
  const files = readdirSync(join(PKG, 'src')).filter((f) => f.endsWith('.ts'));
  it.each(files)('%s imports only node:, its own files and its dependencies', (file) => {
    const text = readFileSync(join(PKG, 'src', file), 'utf8');
    const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const s of specifiers) {
      const ok = s.startsWith('node:') || /^\.\/[a-z-]+\.ts$/.test(s) || Object.hasOwn(pkg.dependencies, s);
      expect(ok, `${file} imports ${s}`).toBe(true);
    }
  });

  it('the scan sees the imports (it would catch a daemon import)', () => {
    const index = readFileSync(join(PKG, 'src/index.ts'), 'utf8');
    expect([...index.matchAll(/from '([^']+)'/g)].length).toBeGreaterThan(3);
  });

  it('declares only jose and canonicalize at run time', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['canonicalize', 'jose']);
  });
});
