import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedDaemon } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

type Daemon = Awaited<ReturnType<typeof startSimulatedDaemon>>;

/**
 * The reference counter page in a real (headless) Chromium against `serve --simulate`: the page
 * connects from the daemon's own origin, mints demo tickets from the development backend, reads the
 * card, verifies the holder's finger, and reports another person's finger as not matched.
 */
describe.skipIf(!available)('reference counter page in a real browser', () => {
  let d: Daemon;
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    d = await startSimulatedDaemon();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // as root in a sandbox-less container; no background traffic on a closed network
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await d?.stop();
  });

  it('reads the card and verifies the holder, and refuses another finger', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${d.port}/`);
    // locators wait without evaluating code in the page (its CSP forbids eval)
    const resultHas = (text: string, timeout = 30_000) =>
      page.locator('#result', { hasText: text }).waitFor({ timeout });
    await page.locator('#status', { hasText: 'connected' }).waitFor();
    await page.click('#btn-read');
    await resultHas('"documentSignature"');
    expect(await page.textContent('#result')).toContain('"documentSignature": "valid"');
    expect(await page.locator('#images img[alt=photo]').count()).toBe(1);

    await page.click('#btn-verify');
    await resultHas('"matched"');
    expect(await page.textContent('#result')).toContain('"matched": true');

    await page.waitForSelector('#simulator:not([hidden])');
    await page.selectOption('#sim-present', 'other');
    await page.click('#sim-finger');
    await resultHas('simulator {');
    await page.click('#btn-verify');
    await resultHas('FINGER_NOT_MATCHED', 60_000);
    expect(await page.getAttribute('#result', 'class')).toBe('error');
    if (process.env.EKTP_SCREENSHOT)
      await page.screenshot({ path: process.env.EKTP_SCREENSHOT, fullPage: true });
  });
});
