import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const DIST = join(ROOT, 'dist/client');

/**
 * The client SDK as a counter-app team gets it: `npm run build:client` output and the tarball of
 * `npm pack ./packages/client`, installed in a project of its own (no access to this repository's
 * sources), imported as ESM, loaded as a classic script, and type-checked by a consumer.
 */
describe('client SDK build and package', () => {
  let project: string;
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-client.mjs')], { stdio: 'pipe' });
    const packs = mkdtempSync(join(tmpdir(), 'ektp-sdk-pack-'));
    const out = execFileSync(
      'npm',
      ['pack', join(ROOT, 'packages/client'), '--ignore-scripts', '--pack-destination', packs, '--json'],
      { encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } },
    );
    const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
    project = mkdtempSync(join(tmpdir(), 'ektp-sdk-app-'));
    const installed = join(project, 'node_modules/@ektp-bridge/client');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(packs, filename), '-C', installed, '--strip-components=1']);
    writeFileSync(join(project, 'package.json'), '{"type":"module"}');
  }, 120_000);

  it('the browser builds carry no Node-only code', () => {
    for (const f of ['ektp-bridge-client.js', 'ektp-bridge-client.mjs']) {
      const text = readFileSync(join(DIST, f), 'utf8');
      expect(text).not.toMatch(/\brequire\(|from ?["']node:|process\.env/);
    }
  });

  it('the classic script defines the global EktpBridge with the client, the error and the vocabulary', () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(readFileSync(join(DIST, 'ektp-bridge-client.js'), 'utf8'), sandbox);
    const g = sandbox.EktpBridge as Record<string, unknown> & {
      EktpBridgeError: { connection(r: string): { reason: string; messages: { id: string }; help: object } };
    };
    expect(typeof g.EktpBridgeClient).toBe('function');
    const e = g.EktpBridgeError.connection('LOCAL_NETWORK_BLOCKED');
    expect(e.reason).toBe('LOCAL_NETWORK_BLOCKED');
    expect(e.messages.id).toMatch(/Peramban/);
    expect(g.KNOWN_REASONS).toContain('CARD_REMOVED');
    expect(g.API_VERSION).toBe(1);
  });

  it('installs from the tarball and imports as ESM by its package name', () => {
    const script = join(project, 'check.mjs');
    writeFileSync(
      script,
      "import { EktpBridgeClient, EktpBridgeError, DEFAULT_URL } from '@ektp-bridge/client';\n" +
        "console.log(JSON.stringify({ c: typeof EktpBridgeClient, e: new EktpBridgeError('NO_CARD', -32005, { id: 'a', en: 'b' }).reason, DEFAULT_URL }));\n",
    );
    const out = execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ c: 'function', e: 'NO_CARD', DEFAULT_URL: 'ws://127.0.0.1:7215/v1' });
  });

  it('its declarations type-check a consumer, and reject a reason that does not exist', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const check = (body: string) => {
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            noEmit: true,
            strict: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            lib: ['es2022', 'dom'],
            types: [],
          },
          files: ['app.ts'],
        }),
      );
      writeFileSync(
        join(project, 'app.ts'),
        "import { EktpBridgeClient, EktpBridgeError, type CardRecord, type ClientErrorReason } from '@ektp-bridge/client';\n" +
          body,
      );
      try {
        execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
        return '';
      } catch (e) {
        return String((e as { stdout?: string }).stdout);
      }
    };
    const good = check(
      'const c = new EktpBridgeClient();\n' +
        "const info: Promise<{ version: string }> = c.connect('ws://127.0.0.1:7215/v1');\n" +
        "const r: ClientErrorReason = 'LOCAL_NETWORK_BLOCKED';\n" +
        'const nik = (x: CardRecord): string | undefined => x.nik;\n' +
        'export { info, r, nik, EktpBridgeError };\n',
    );
    expect(good).toBe('');
    expect(
      check(
        "const r: ClientErrorReason = 'NO_SUCH_REASON';\nexport { r, EktpBridgeClient, EktpBridgeError };\n",
      ),
    ).toMatch(/NO_SUCH_REASON/);
  });
});
