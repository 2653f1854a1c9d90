import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_POLICY_DIRS, POLICY_FILE_NAME } from '../../src/browser-policy/policies.ts';
import {
  CHROMIUM,
  chromiumArgs,
  ensureClientBuilt,
  shot,
  snapshotPaths,
  startAgencyServer,
  stopOrKill,
  testBackend,
  withPolicyLock,
} from './claim-helpers.ts';
import { runCli, startSimulatedDaemon } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM);
const isRoot = process.getuid?.() === 0;
if (!hasChromium) console.warn(`LNA test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
if (!isRoot) console.warn('LNA policy test skipped: writing /etc/chromium/policies/managed needs root');

type Daemon = Awaited<ReturnType<typeof startSimulatedDaemon>>;
type Agency = Awaited<ReturnType<typeof startAgencyServer>>;
type Browser = import('playwright-core').Browser;

/**
 * The claim page served from "the agency's server", an origin Chromium is told to treat as public
 * (--ip-address-space-overrides), reaching the daemon on loopback: what a counter meets in today's
 * Chrome and Edge (Local Network Access). Agency A is in the daemon's allowedOrigins; agency B is
 * not (but is in the browser policy, so that the daemon itself is what refuses it).
 */
describe.skipIf(!hasChromium || !isRoot)('Local Network Access: the claim page on a public origin', () => {
  let d: Daemon | undefined;
  let a: Agency;
  let b: Agency;
  let backend: Awaited<ReturnType<typeof testBackend>>;
  const browsers: Browser[] = [];

  async function launch(): Promise<Browser> {
    const { chromium } = await import('playwright-core');
    const spaces = [a.port, b.port].map((p) => `127.0.0.1:${p}=public`).join(',');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: chromiumArgs([`--ip-address-space-overrides=${spaces}`]),
    });
    browsers.push(browser);
    return browser;
  }

  /** What the SDK's connect() says from a page of that origin, and the browser's LNA permission. */
  async function sdkConnect(browser: Browser, origin: string) {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const url = `ws://127.0.0.1:${d?.port ?? 1}/v1`;
    // runs in the page: `globalThis` is its window (no DOM types in this project's tsconfig)
    return page.evaluate(async (u) => {
      const g = globalThis as unknown as {
        EktpBridge: typeof import('../../src/client/index.ts');
        navigator: { permissions: { query(d: { name: string }): Promise<{ state: string }> } };
      };
      const { EktpBridgeClient } = g.EktpBridge;
      let reason = 'connected';
      try {
        await new EktpBridgeClient().connect(u);
      } catch (e) {
        reason = (e as { reason: string }).reason;
      }
      const q = (name: string) =>
        g.navigator.permissions.query({ name }).then(
          (s) => s.state,
          () => 'unsupported',
        );
      return { reason, loopback: await q('loopback-network'), lna: await q('local-network-access') };
    }, url);
  }

  beforeAll(async () => {
    ensureClientBuilt();
    backend = await testBackend();
    a = await startAgencyServer({ daemonPort: () => d!.port, backend });
    b = await startAgencyServer({ daemonPort: () => d!.port, backend });
    d = await startSimulatedDaemon({
      EKTP_BRIDGE_SECURITY_ALLOWEDORIGINS: JSON.stringify([a.origin]),
      EKTP_BRIDGE_SECURITY_TICKETKEYS: JSON.stringify([backend.publicJwk]),
    });
  });
  afterAll(async () => {
    for (const br of browsers) await br.close();
    if (d) await stopOrKill(d);
    await a?.close();
    await b?.close();
  });

  it('without the policy: connect() gives LOCAL_NETWORK_BLOCKED and the page explains it in Indonesian', async () => {
    const browser = await launch();
    const seen = await sdkConnect(browser, a.origin);
    expect(seen).toEqual({ reason: 'LOCAL_NETWORK_BLOCKED', loopback: 'denied', lna: 'denied' });

    const page = await browser.newPage();
    await page.goto(`${a.origin}/`);
    await page.locator('#problem-reason', { hasText: 'LOCAL_NETWORK_BLOCKED' }).waitFor();
    expect(await page.textContent('#problem-officer')).toContain('Peramban memblokir akses');
    expect(await page.textContent('#problem-it')).toContain('ektp-bridge browser-policy --write');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await page.click('#problem-it-box summary');
    await shot(page, '0-local-network-blocked');
  });

  describe('with the policy written by `ektp-bridge browser-policy --write`', () => {
    let restore: () => void = () => {};
    let unlock: () => void = () => {};
    let browser: Browser;
    beforeAll(async () => {
      unlock = await withPolicyLock();
      const files = Object.values(MANAGED_POLICY_DIRS).map((dir) => `/${dir}/${POLICY_FILE_NAME}`);
      restore = snapshotPaths(files);
      const r = await runCli(['browser-policy', '--write'], {
        ...process.env,
        EKTP_BRIDGE_SECURITY_ALLOWEDORIGINS: JSON.stringify([a.origin, b.origin]),
        EKTP_BRIDGE_DATADIR: d!.env.EKTP_BRIDGE_DATADIR,
      });
      expect(r.code, r.stderr).toBe(0);
      browser = await launch();
    });
    afterAll(() => {
      restore();
      unlock();
    });

    it('card.read and finger.verify succeed from the public page, with tickets from its own backend', async () => {
      expect(await sdkConnect(browser, a.origin)).toEqual({
        reason: 'connected',
        loopback: 'granted',
        lna: 'granted',
      });
      const page = await browser.newPage();
      await page.goto(`${a.origin}/`);
      // the card on the simulated reader is read as soon as the page connects
      await page.locator('#screen-card:not([hidden])').waitFor({ timeout: 30_000 });
      expect(await page.textContent('#card-sig')).toBe('✓ Sah');
      expect((await page.textContent('#card-name'))?.length).toBeGreaterThan(2);
      await page.click('#btn-verify');
      await page.locator('#result-title', { hasText: 'Sidik jari cocok' }).waitFor({ timeout: 60_000 });
    });

    it('an origin the daemon does not allow gets ORIGIN_FORBIDDEN', async () => {
      expect((await sdkConnect(browser, b.origin)).reason).toBe('ORIGIN_FORBIDDEN');
      const page = await browser.newPage();
      await page.goto(`${b.origin}/`);
      await page.locator('#problem-reason', { hasText: 'ORIGIN_FORBIDDEN' }).waitFor();
      expect(await page.textContent('#problem-it')).toContain('security.allowedOrigins');
    });

    it('which policy name opens loopback in this Chromium: each alone', async () => {
      // Only the Chromium file matters to this browser; it is put back as the command wrote it.
      const file = `/${MANAGED_POLICY_DIRS.chromium}/${POLICY_FILE_NAME}`;
      const written = readFileSync(file, 'utf8');
      const seen: Record<string, unknown> = {};
      try {
        for (const name of [
          'LocalNetworkAccessAllowedForUrls',
          'LoopbackNetworkAllowedForUrls',
          'LocalNetworkAllowedForUrls',
        ]) {
          writeFileSync(file, JSON.stringify({ [name]: [a.origin] }));
          const one = await launch();
          seen[name] = await sdkConnect(one, a.origin);
          await one.close();
        }
      } finally {
        writeFileSync(file, written);
      }
      expect(seen).toEqual({
        LocalNetworkAccessAllowedForUrls: { reason: 'connected', loopback: 'granted', lna: 'granted' },
        LoopbackNetworkAllowedForUrls: { reason: 'connected', loopback: 'granted', lna: 'granted' },
        // the local-network half of the split permission does not cover loopback: not written
        LocalNetworkAllowedForUrls: { reason: 'LOCAL_NETWORK_BLOCKED', loopback: 'denied', lna: 'denied' },
      });
    });

    it('the daemon stopped: DAEMON_UNREACHABLE', async () => {
      // the pages still connected are closed first; a daemon slow to stop is not what this tests
      for (const p of browser.contexts().flatMap((c) => c.pages())) await p.close();
      await stopOrKill(d!);
      expect((await sdkConnect(browser, a.origin)).reason).toBe('DAEMON_UNREACHABLE');
      const page = await browser.newPage();
      await page.goto(`${a.origin}/?lang=en`);
      await page.locator('#problem-reason', { hasText: 'DAEMON_UNREACHABLE' }).waitFor();
      expect(await page.textContent('#problem-officer')).toContain('does not answer');
    });
  });
});
