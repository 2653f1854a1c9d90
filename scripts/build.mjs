#!/usr/bin/env node
// Compiles the daemon (CLI, daemon, worker pool and its task modules) with esbuild into dist/app/,
// so the installed command runs plain JavaScript on the bundled Node: no tsx, no .ts at run time,
// no transpiling at start. npm dependencies stay external: they ship as node_modules beside it
// (native addons built for the shipped Node), see scripts/package-deb.mjs.
//
// Every output file (entry points and shared chunks) sits at the top of dist/app/, so one rule
// covers the files the code finds at run time: each `new URL('<literal>', import.meta.url)` in the
// sources is resolved against its source file, then
//   - a module (.ts, .mjs: a worker file or a pool task) becomes an entry point of its own and the
//     URL points at its compiled file;
//   - anything else (package.json, the reference page's folder, the checkout's root) is looked up
//     in ASSETS and the URL points at its copy at the same path under dist/app/.
// A literal the build does not know, or `import.meta.url` used any other way than these and
// createRequire(import.meta.url), fails the build: the daemon would otherwise break only when
// installed.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_DIR = join(ROOT, 'dist', 'app');
const SOURCE_DIRS = ['src', 'drivers', 'protocols', 'simulator'];
const MAIN = 'src/cli/main.ts';

/**
 * Development shims that only register tsx before importing the real module: in dist/ the real
 * module is the entry point.
 */
const DEV_SHIMS = { 'src/biometrics/pool/worker-entry.mjs': 'src/biometrics/pool/worker.ts' };

/** Files and folders the code opens at run time, by path from the checkout's root ('' = the root). */
const ASSETS = {
  'package.json': 'the package version (src/version.ts); written reduced, see appPackageJson()',
  'src/server/public/': 'the reference counter page (src/server/http-routes.ts)',
  'dist/client/': 'the client SDK build the reference page loads (src/server/client-assets.ts); npm run build makes it first',
  '': "the checkout's root: .data/ for a developer machine without configuration (src/cli/config-option.ts)",
};

const URL_LITERAL = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const OTHER_META = /import\.meta\.url/g;
const ALLOWED_META = /createRequire\(\s*import\.meta\.url\s*\)/g;

const rel = (abs) => relative(ROOT, abs).split('\\').join('/');

function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return out;
}

/** What a `new URL(literal, import.meta.url)` in `file` refers to, from the checkout's root. */
function targetOf(file, literal) {
  const abs = resolve(dirname(file), literal);
  let target = rel(abs);
  if (literal.endsWith('/') && target !== '') target += '/';
  return DEV_SHIMS[target] ?? target;
}

const isModule = (target) => /\.(ts|mjs)$/.test(target);
/** src/biometrics/extract/index.ts -> biometrics-extract-index */
const entryName = (target) =>
  target
    .replace(/^src\//, '')
    .replace(/\.(ts|mjs|js)$/, '')
    .replace(/[/.]/g, '-');

/** Every entry point: the CLI plus each module some source file points a URL at. */
function findEntries(files) {
  const entries = new Map([[MAIN, 'main']]);
  const errors = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const known = [...text.matchAll(URL_LITERAL)].length + [...text.matchAll(ALLOWED_META)].length;
    const all = [...text.matchAll(OTHER_META)].length;
    if (all !== known)
      errors.push(
        `${rel(file)}: import.meta.url used other than as new URL('<literal>', import.meta.url) or createRequire(import.meta.url)`,
      );
    for (const m of text.matchAll(URL_LITERAL)) {
      const target = targetOf(file, m[2]);
      if (isModule(target)) {
        if (!existsSync(join(ROOT, target))) errors.push(`${rel(file)}: ${m[2]} -> ${target} does not exist`);
        entries.set(target, entryName(target));
      } else if (!(target in ASSETS)) {
        errors.push(`${rel(file)}: new URL('${m[2]}') -> '${target}' is neither a module nor listed in ASSETS`);
      }
    }
  }
  if (errors.length) throw new Error(`build: run-time file references the build cannot map:\n  ${errors.join('\n  ')}`);
  return entries;
}

/** Rewrites each recognised URL literal so it resolves from the top of dist/app/. */
function urlPlugin(entries) {
  return {
    name: 'ektp-run-time-urls',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs|js)$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const contents = text.replace(URL_LITERAL, (_all, _q, literal) => {
          const target = targetOf(args.path, literal);
          const to = isModule(target) ? `./${entries.get(target)}.mjs` : `./${target}`;
          return `new URL(${JSON.stringify(to)}, import.meta.url)`;
        });
        return { contents, loader: extname(args.path) === '.ts' ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * What the installed app needs of package.json: its identity, version and production deps.
 * `version` replaces package.json's only for the upgrade tests (EKTP_BRIDGE_PACKAGE_VERSION).
 */
function appPackageJson(versionOverride) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const { name, version, description, license, type, engines, dependencies } = pkg;
  return { name, version: versionOverride ?? version, description, license, private: true, type, engines, dependencies };
}

/**
 * Builds into `outDir` (default dist/app/). `version` overrides package.json's version in the
 * built app (tests build "the next release" this way).
 */
export async function buildDaemon({ outDir = APP_DIR, version, quiet = false } = {}) {
  const started = performance.now();
  const files = sourceFiles();
  const entries = findEntries(files);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries([...entries].map(([src, name]) => [name, join(ROOT, src)])),
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true, // one copy of shared modules (BridgeError's class) per thread, not per entry
    format: 'esm',
    platform: 'node',
    target: 'node24',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
    plugins: [urlPlugin(entries)],
  });
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(appPackageJson(version), null, 2)}\n`);
  for (const asset of Object.keys(ASSETS)) {
    if (asset === '' || asset === 'package.json') continue;
    cpSync(join(ROOT, asset), join(outDir, asset), { recursive: true });
  }
  const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'));
  const bytes = outputs.reduce((n, f) => n + statSync(resolve(ROOT, f)).size, 0);
  if (!quiet)
    console.error(
      `build: ${entries.size} entry points, ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB of JavaScript ` +
        `in ${rel(outDir)}/ (${(performance.now() - started).toFixed(0)} ms)`,
    );
  return { entries, outputs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // --out DIR: build elsewhere than dist/app/ (tests); the version override comes from the
  // environment so that `npm run build` and `npm run package` agree on it.
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  await buildDaemon({
    outDir: values.out ? resolve(values.out) : APP_DIR,
    version: process.env.EKTP_BRIDGE_PACKAGE_VERSION || undefined,
  });
}
