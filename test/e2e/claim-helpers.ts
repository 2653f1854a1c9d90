import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { exportJWK } from 'jose';
import { mintTicket } from '../../src/security/tickets.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CHROMIUM = '/usr/bin/chromium';
const PUBLIC = `${ROOT}src/server/public/`;
const SDK = `${ROOT}dist/client/ektp-bridge-client.js`;

/** The SDK build the pages load; built here when a test file runs on its own (npm test builds it first). */
export function ensureClientBuilt(): void {
  if (!existsSync(SDK)) {
    execFileSync(process.execPath, [`${ROOT}scripts/build-client.mjs`, '--no-types'], { stdio: 'pipe' });
  }
}

/** EKTP_SCREENSHOTS=docs/images (npm run docs:screenshots) writes the docs' screenshot of each step. */
export async function shot(page: import('playwright-core').Page, name: string): Promise<void> {
  const dir = process.env.EKTP_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `claim-${name}.png`), fullPage: true });
}

/** Chromium flags for this closed network, as root in a sandbox-less container. */
export function chromiumArgs(extra: string[] = []): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...extra,
  ];
}

/** A counter application's backend key pair; its public JWK goes into security.ticketKeys. */
export async function testBackend() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = { ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'agency-test-backend' };
  return {
    publicJwk,
    mint(origin: string, op: string, scope: string[]): Promise<string> {
      const iat = Math.floor(Date.now() / 1000);
      return mintTicket(
        privateKey,
        { aud: '*', origin, op, scope, nonce: randomBytes(16).toString('base64url'), iat, exp: iat + 120 },
        { kid: publicJwk.kid },
      );
    },
  };
}

/**
 * "The agency's server": the claim page, exactly the files the daemon serves at /, plus the SDK
 * build, from an origin of its own, with the daemon's URL and its own ticket endpoint set on <html>
 * as a counter-app team would. POST /ticket mints tickets for its own origin with its backend key.
 */
export async function startAgencyServer(opts: {
  /** read per request: the daemon may start after this server (its allowlist needs our origin) */
  daemonPort: () => number;
  backend: Awaited<ReturnType<typeof testBackend>>;
}): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  let origin = '';
  const files: Record<string, [string, string]> = {
    '/app.js': [`${PUBLIC}app.js`, 'text/javascript'],
    '/app-words.js': [`${PUBLIC}app-words.js`, 'text/javascript'],
    '/app-render.js': [`${PUBLIC}app-render.js`, 'text/javascript'],
    '/app-simulator.js': [`${PUBLIC}app-simulator.js`, 'text/javascript'],
    '/app.css': [`${PUBLIC}app.css`, 'text/css'],
    '/client/ektp-bridge-client.js': [SDK, 'text/javascript'],
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/ticket') {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', async () => {
        const { op, scope } = JSON.parse(body || '{}') as { op: string; scope?: string[] };
        const ticket = await opts.backend.mint(origin, op, scope ?? []);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ticket }));
      });
      return;
    }
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      const html = readFileSync(`${PUBLIC}index.html`, 'utf8').replace(
        '<html lang="id">',
        `<html lang="id" data-daemon-url="ws://127.0.0.1:${opts.daemonPort()}/v1" data-ticket-url="ticket">`,
      );
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(html);
      return;
    }
    const f = req.method === 'GET' ? files[path] : undefined;
    if (!f) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', `${f[1]}; charset=utf-8`);
    res.end(readFileSync(f[0]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The simulator's hands (POST /dev/simulator), from the test with an allowed Origin. */
export async function simulator(daemonPort: number, origin: string, body: Record<string, unknown>) {
  const r = await fetch(`http://127.0.0.1:${daemonPort}/dev/simulator`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`simulator ${JSON.stringify(body)}: ${r.status} ${await r.text()}`);
}

const POLICY_LOCK = '/tmp/ektp-bridge-browser-policy.lock';

/**
 * The machine's managed browser policies are one system-wide resource: test files (in every
 * worktree) that write them take this lock first. A lock whose owner died is taken over.
 */
export async function withPolicyLock(): Promise<() => void> {
  for (;;) {
    try {
      const fd = openSync(POLICY_LOCK, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(POLICY_LOCK);
        } catch {}
      };
    } catch {
      try {
        const owner = Number(readFileSync(POLICY_LOCK, 'utf8'));
        if (owner > 0) process.kill(owner, 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ESRCH') unlinkSync(POLICY_LOCK);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Remembers the given files (content and mode, or absence) and the folders that do not exist yet,
 * and puts everything back exactly: files restored or removed, created folders removed.
 */
export function snapshotPaths(files: string[]): () => void {
  const saved = files.map((f) =>
    existsSync(f)
      ? { f, body: readFileSync(f), mode: statSync(f).mode & 0o7777 }
      : { f, body: undefined, mode: 0 },
  );
  const missingDirs = new Set<string>();
  for (const f of files) {
    for (let d = dirname(f); d !== '/' && !existsSync(d); d = dirname(d)) missingDirs.add(d);
  }
  return () => {
    for (const s of saved) {
      if (s.body) {
        writeFileSync(s.f, s.body);
        chmodSync(s.f, s.mode);
      } else rmSync(s.f, { force: true });
    }
    // deepest first
    for (const d of [...missingDirs].sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(d);
      } catch {}
    }
  };
}

/**
 * Stops a daemon started by startSimulatedDaemon; one that has not exited 20 s after SIGTERM is
 * killed and its log tail printed (seen once on a loaded machine with browsers still connected:
 * not what these tests are about, but worth its own look).
 */
export async function stopOrKill(d: {
  proc: import('node:child_process').ChildProcess;
  stop(): Promise<void>;
  stderr(): string;
}): Promise<void> {
  const stopped = await Promise.race([
    d.stop().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 20_000)),
  ]);
  if (stopped) return;
  console.warn(`daemon did not stop within 20 s of SIGTERM; killed. stderr tail: ${d.stderr().slice(-2000)}`);
  d.proc.kill('SIGKILL');
  await d.stop();
}
