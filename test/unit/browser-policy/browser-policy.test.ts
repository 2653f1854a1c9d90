import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInstalledPolicies } from '../../../src/browser-policy/check.ts';
import { writePolicyFiles } from '../../../src/browser-policy/files.ts';
import {
  LNA_POLICY_NAMES,
  lnaPolicies,
  originPattern,
  policyFiles,
  policyFileText,
} from '../../../src/browser-policy/policies.ts';
import { runCli } from '../../e2e/helpers.ts';

describe('browser policies for Local Network Access', () => {
  it('lists exactly the allowed origins, normalised and sorted, under both policy names', () => {
    const p = lnaPolicies([
      'https://Klaim.Example.go.id:443',
      'http://10.0.0.5:8080',
      'https://klaim.example.go.id',
    ]);
    expect(Object.keys(p)).toEqual(['LocalNetworkAccessAllowedForUrls', 'LoopbackNetworkAllowedForUrls']);
    for (const name of LNA_POLICY_NAMES)
      expect(p[name]).toEqual(['http://10.0.0.5:8080', 'https://klaim.example.go.id']);
    expect(lnaPolicies([])).toEqual({
      LocalNetworkAccessAllowedForUrls: [],
      LoopbackNetworkAllowedForUrls: [],
    });
  });

  it('never widens an origin into a wildcard or a path, and refuses what is not an http(s) origin', () => {
    expect(originPattern('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(originPattern('https://a.example')).toBe('https://a.example');
    expect(() => originPattern('file:///etc/passwd')).toThrow(/not an http\(s\) origin/);
    expect(() => originPattern('not a url')).toThrow();
  });

  it('has one file per browser in its managed-policy folder', () => {
    const files = policyFiles(['https://a.example']);
    expect(files.map((f) => f.path)).toEqual([
      'etc/chromium/policies/managed/ektp-bridge.json',
      'etc/opt/chrome/policies/managed/ektp-bridge.json',
      'etc/opt/edge/policies/managed/ektp-bridge.json',
    ]);
    expect(JSON.parse(policyFileText(files[0]!))).toEqual(files[0]!.policies);
  });

  it('writes the files under a root, world-readable, replacing ours and leaving other files alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'ektp-policy-'));
    const dir = join(root, 'etc/chromium/policies/managed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'other.json'), '{"HomepageLocation":"x"}');
    writeFileSync(join(dir, 'ektp-bridge.json'), '{"stale":true}');
    const old = process.umask(0o077);
    try {
      const written = writePolicyFiles(root, policyFiles(['https://a.example']));
      expect(written).toHaveLength(3);
      for (const path of written) {
        expect(statSync(path).mode & 0o777).toBe(0o644);
        expect(JSON.parse(readFileSync(path, 'utf8')).LoopbackNetworkAllowedForUrls).toEqual([
          'https://a.example',
        ]);
      }
    } finally {
      process.umask(old);
    }
    expect(readFileSync(join(dir, 'other.json'), 'utf8')).toBe('{"HomepageLocation":"x"}');
    expect(readdirSync(dir).sort()).toEqual(['ektp-bridge.json', 'other.json']); // no temp file left
  });

  it('the command prints the policies of the configured origins, and installs them with --write --root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ektp-policy-cli-'));
    const env = {
      ...process.env,
      EKTP_BRIDGE_SECURITY_ALLOWEDORIGINS: '["https://klaim.example.go.id"]',
      EKTP_BRIDGE_DATADIR: root,
    };
    const printed = await runCli(['browser-policy', '--json'], env);
    expect(printed.code).toBe(0);
    const doc = JSON.parse(printed.stdout);
    expect(doc.origins).toEqual(['https://klaim.example.go.id']);
    expect(doc.files.map((f: { path: string }) => f.path)).toContain(
      '/etc/opt/edge/policies/managed/ektp-bridge.json',
    );

    const wrote = await runCli(['browser-policy', '--write', '--root', root], env);
    expect(wrote.code).toBe(0);
    const chrome = JSON.parse(
      readFileSync(join(root, 'etc/opt/chrome/policies/managed/ektp-bridge.json'), 'utf8'),
    );
    expect(chrome.LocalNetworkAccessAllowedForUrls).toEqual(['https://klaim.example.go.id']);
  });
});

describe('doctor: are the installed policies those of the configuration?', () => {
  const origins = ['https://klaim.example.go.id'];
  it('passes when every installed file lists exactly allowedOrigins, and with no origins at all', () => {
    const root = mkdtempSync(join(tmpdir(), 'ektp-policy-check-'));
    writePolicyFiles(root, policyFiles(origins).slice(0, 1)); // a PC with Chromium only
    expect(checkInstalledPolicies(root, origins)).toMatchObject({ ok: true });
    expect(checkInstalledPolicies(root, []).ok).toBe(true);
  });

  it('fails, saying what to run, when none is installed or one is stale', () => {
    const root = mkdtempSync(join(tmpdir(), 'ektp-policy-check-'));
    const none = checkInstalledPolicies(root, origins);
    expect(none.ok).toBe(false);
    expect(none.detail).toContain('browser-policy --write');
    writePolicyFiles(root, policyFiles(['https://old.example.go.id']));
    const stale = checkInstalledPolicies(root, origins);
    expect(stale).toMatchObject({ ok: false });
    expect(stale.detail).toContain('chromium, chrome, edge');
  });
});
