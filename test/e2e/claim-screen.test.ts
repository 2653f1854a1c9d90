import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, ensureClientBuilt, shot, simulator, stopOrKill } from './claim-helpers.ts';
import { startSimulatedDaemon } from './helpers.ts';

const available = existsSync(CHROMIUM);
if (!available) console.warn(`claim screen test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

type Daemon = Awaited<ReturnType<typeof startSimulatedDaemon>>;
type Page = import('playwright-core').Page;

/**
 * The reference claim screen served by `serve --simulate` in a real (headless) Chromium, through
 * the whole flow in counter and kiosk modes: card read, holder verified, another person's finger,
 * poor quality, cancel, the card pulled mid-flow, the idle reset, and nothing personal left in the
 * page once the card is gone. The simulator is driven from the test (POST /dev/simulator).
 */
describe.skipIf(!available)('claim screen in a real browser', () => {
  let d: Daemon;
  let browser: import('playwright-core').Browser;
  let self: string;
  const sim = (body: Record<string, unknown>) => simulator(d.port, self, body);

  beforeAll(async () => {
    ensureClientBuilt();
    // a short lockout, so that the lockout is reached in the test (each test has its own card)
    d = await startSimulatedDaemon({ EKTP_BRIDGE_VERIFY_LOCKOUTFAILURES: '2' });
    self = `http://127.0.0.1:${d.port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
  });
  afterAll(async () => {
    await browser?.close();
    if (d) await stopOrKill(d);
  });

  async function open(query = ''): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${self}/${query}`);
    return page;
  }
  const visible = (page: Page, screen: string, timeout = 30_000) =>
    page.locator(`#screen-${screen}:not([hidden])`).waitFor({ timeout });
  /**
   * The card on the reader is read when the page connects. Each test taps its own resident's card,
   * so that failed verifies of one test never add up to a per-card lockout in another (the simulator
   * has five residents; the kiosk tests verify nothing).
   */
  async function cardShown(resident: number, query = ''): Promise<Page> {
    await sim({ action: 'finger', present: 'genuine' });
    await sim({ action: 'tap', resident });
    const page = await open(query);
    await visible(page, 'card');
    return page;
  }
  /** what the page holds, text and attributes, once rendered */
  const dom = (page: Page) => page.content();

  it('counter: reads the card, shows it masked, verifies the holder and says what comes next', async () => {
    await sim({ action: 'pull' });
    const page = await open();
    await visible(page, 'waiting');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    expect(await page.isVisible('#simulator')).toBe(true); // simulate mode only
    await shot(page, '1-waiting');
    await sim({ action: 'tap', resident: 0 });
    await visible(page, 'card');
    await shot(page, '2-card');
    const nik = (await page.textContent('#card-nik'))!;
    expect(nik).toMatch(/^•{12}\d{4}$/);
    expect(await dom(page)).not.toMatch(/\d{16}/); // the full NIK never reaches the page
    expect(await page.textContent('#card-sig')).toBe('✓ Sah');
    expect(await page.textContent('#card-nikc')).toBe('✓ Sesuai');
    expect(await page.getAttribute('#card-photo', 'src')).toMatch(/^data:image\/jpeg;base64,/);
    expect(await page.getAttribute('#card-photo', 'alt')).toBe('Foto pemegang kartu');
    // focus follows the step, and the step is announced
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
            .id,
      ),
    ).toBe('h-card');
    expect(await page.textContent('#announce')).toBe('Data pemegang kartu');

    await page.click('#lang');
    expect(await page.textContent('#h-card')).toBe('Card holder');
    expect(await page.textContent('#card-sig')).toBe('✓ Valid');
    await page.click('#lang');

    await page.click('#btn-verify');
    await visible(page, 'finger');
    await visible(page, 'result', 60_000);
    await shot(page, '4-result-matched');
    expect(await page.textContent('#result-title')).toBe('Sidik jari cocok');
    expect(await page.textContent('#result-next')).toContain('Lanjutkan proses klaim');
    expect(await page.isVisible('#btn-retry')).toBe(false);
    await page.close();
  });

  it("counter: another person's finger is not matched, with retry, the other finger and the manual procedure", async () => {
    const page = await cardShown(1);
    await sim({ action: 'finger', present: 'other' });
    await page.click('#btn-verify');
    // the live preview of the finger on the sensor (finger.verify with preview: true)
    await page.locator('#finger-preview:not([hidden])').waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('#finger-preview', 'src')).toMatch(/^data:image\/png;base64,/);
    await shot(page, '3-finger-preview');
    // after a failed attempt: its image quality and what to do, as the daemon reports them
    await page.locator('#finger-quality', { hasText: '/ 100' }).waitFor({ timeout: 30_000 });
    expect(await page.textContent('#finger-instruction')).toContain('Belum cocok');
    await page.locator('#result-title', { hasText: 'Sidik jari tidak cocok' }).waitFor({ timeout: 60_000 });
    expect(await page.getAttribute('#finger-preview', 'src')).toBeNull(); // not kept after the step
    await shot(page, '5-result-not-matched');
    const next = (await page.textContent('#result-next'))!;
    expect(next).toContain('Coba lagi dengan jari yang sama');
    expect(next).toContain('prosedur manual');
    expect(await page.isVisible('#btn-retry')).toBe(true);
    expect(await page.textContent('#btn-other-finger')).toMatch(/^Coba (ibu jari|telunjuk|jari|kelingking)/);
    // the instruction for the failed attempts (generic when the daemon reports no reason)
    expect((await page.textContent('#result-instruction'))!.length).toBeGreaterThan(10);

    await page.click('#btn-other-finger');
    await visible(page, 'finger');
    expect(await page.textContent('#finger-which')).not.toContain(' atau ');
    await page.locator('#result-title', { hasText: 'Sidik jari tidak cocok' }).waitFor({ timeout: 60_000 });
    await page.click('#btn-manual');
    expect(await page.textContent('#result-title')).toBe('Prosedur manual');
    expect(await page.textContent('#result-detail')).toContain('Periksa e-KTP fisik');
    await page.close();
  });

  it("counter: a poor image gets a clear instruction; the daemon's per-attempt reasons each get theirs", async () => {
    const page = await cardShown(2);
    await sim({ action: 'finger', present: 'poor' });
    await page.click('#btn-verify');
    await visible(page, 'result', 60_000);
    // whatever the matcher decides on a poor image, the officer is told what to do
    const title = await page.textContent('#result-title');
    expect(title).toMatch(/Sidik jari (cocok|tidak cocok)|Kualitas sidik jari/);
    if (title !== 'Sidik jari cocok')
      expect((await page.textContent('#result-instruction'))!.length).toBeGreaterThan(10);
    await page.close();

    // The reasons a daemon reports per attempt (POOR_QUALITY, TOO_FEW_MINUTIAE, NOT_MATCHED) are
    // injected into the real daemon's stream, so each instruction is checked whatever the daemon's
    // version reports.
    for (const [reason, words] of [
      ['POOR_QUALITY', 'Bersihkan jari'],
      ['TOO_FEW_MINUTIAE', 'bukan hanya ujungnya'],
      ['NOT_MATCHED', 'letakkan lagi jari yang sama'],
    ] as const) {
      const p = await browser.newPage();
      await sim({ action: 'finger', present: 'none' });
      await p.routeWebSocket(/\/v1$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => {
          server.send(m);
          const req = JSON.parse(String(m)) as { id: number; method: string };
          if (req.method === 'finger.verify') {
            // as the daemon reports a failed attempt: `attempt-N:failed` with its reason, then the next attempt
            const progress = (params: Record<string, unknown>) =>
              ws.send(
                JSON.stringify({
                  jsonrpc: '2.0',
                  method: 'operation.progress',
                  params: { requestId: req.id, ...params },
                }),
              );
            progress({ step: 'attempt-1:failed', percent: 33, reason, quality: 23 });
            progress({ step: 'attempt-2', percent: 34 });
          }
        });
      });
      await sim({ action: 'tap', resident: 2 });
      await p.goto(`${self}/`);
      await visible(p, 'card');
      await p.click('#btn-verify');
      await p.locator('#finger-instruction', { hasText: words }).waitFor();
      expect(await p.textContent('#finger-attempt')).toBe('2');
      expect(await p.textContent('#finger-quality')).toBe('23 / 100');
      if (reason === 'POOR_QUALITY') await shot(p, '3b-finger-instruction');
      await p.click('#btn-cancel');
      await visible(p, 'card');
      await p.close();
    }
  });

  it("counter: the result names what to do from the final error's detail.reasons", async () => {
    const page = await browser.newPage();
    await sim({ action: 'finger', present: 'other' });
    // the daemon's FINGER_NOT_MATCHED, with the reasons a daemon that reports them adds
    await page.routeWebSocket(/\/v1$/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        const msg = JSON.parse(String(m)) as {
          error?: { data?: { reason?: string; detail?: Record<string, unknown> } };
        };
        if (msg.error?.data?.reason === 'FINGER_NOT_MATCHED') {
          msg.error.data.detail = { ...msg.error.data.detail, reasons: ['NOT_MATCHED', 'TOO_FEW_MINUTIAE'] };
          ws.send(JSON.stringify(msg));
        } else ws.send(m);
      });
    });
    await sim({ action: 'tap', resident: 3 });
    await page.goto(`${self}/`);
    await visible(page, 'card');
    await page.click('#btn-verify');
    await page.locator('#result-title', { hasText: 'Sidik jari tidak cocok' }).waitFor({ timeout: 60_000 });
    expect(await page.textContent('#result-instruction')).toContain('bukan hanya ujungnya');
    await page.click('#lang');
    expect(await page.textContent('#result-instruction')).toContain('not just the tip');
    await page.close();
  });

  it('counter: cancel returns to the card; pulling the card mid-flow wipes it and waits for the next', async () => {
    await sim({ action: 'finger', present: 'none' });
    await sim({ action: 'tap', resident: 4 });
    const page = await open();
    await visible(page, 'card');
    const name = (await page.textContent('#card-name'))!;
    await page.click('#btn-verify');
    await visible(page, 'finger');
    await page.click('#btn-cancel');
    await visible(page, 'card');
    expect(await page.textContent('#card-warning')).toContain('Verifikasi dibatalkan');

    await page.click('#btn-verify');
    await visible(page, 'finger');
    await sim({ action: 'pull' });
    await visible(page, 'waiting');
    expect(await page.textContent('#waiting-notice')).toContain('Kartu diangkat sebelum proses selesai');
    expect(await dom(page)).not.toContain(name);
    await page.close();
  });

  it('counter: a card locked after repeated failures (TOO_MANY_ATTEMPTS) goes to the manual procedure only', async () => {
    const page = await cardShown(4);
    await sim({ action: 'finger', present: 'other' });
    for (let i = 0; i < 2; i++) {
      await page.click(i === 0 ? '#btn-verify' : '#btn-retry');
      await page.locator('#result-title', { hasText: 'Sidik jari tidak cocok' }).waitFor({ timeout: 60_000 });
      await page.locator('#btn-retry:not([hidden])').waitFor();
    }
    await page.click('#btn-retry');
    await page.locator('#result-title', { hasText: 'Terlalu banyak percobaan' }).waitFor({ timeout: 60_000 });
    expect(await page.textContent('#result-next')).toContain('prosedur manual');
    expect(await page.isVisible('#btn-retry')).toBe(false);
    expect(await page.isVisible('#btn-other-finger')).toBe(false);
    expect(await page.isVisible('#btn-manual')).toBe(true);
    await page.close();
  });

  it('kiosk: large touch targets, and nothing personal in the page once the card leaves', async () => {
    const page = await cardShown(0, '?kiosk=1');
    expect(await page.getAttribute('body', 'class')).toContain('kiosk');
    const box = await page.locator('#btn-verify').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(64);
    await shot(page, '6-kiosk-card');
    const name = (await page.textContent('#card-name'))!;
    const nik = (await page.textContent('#card-nik'))!;
    const photo = (await page.getAttribute('#card-photo', 'src'))!;
    expect(name.length).toBeGreaterThan(2);
    await sim({ action: 'pull' });
    await visible(page, 'waiting');
    const html = await dom(page);
    for (const personal of [name, nik, nik.slice(-4), photo.slice(30, 90)])
      expect(html).not.toContain(personal);
    expect(await page.locator('#card-photo').getAttribute('src')).toBeNull();
    await shot(page, '7-kiosk-waiting');
    await page.close();
  });

  it('kiosk: an idle screen goes back to waiting and forgets the card', async () => {
    const page = await cardShown(1, '?kiosk=1&idle=2');
    const name = (await page.textContent('#card-name'))!;
    await visible(page, 'waiting', 10_000);
    expect(await dom(page)).not.toContain(name);
    await page.close();
  });

  it('a daemon restart: the page says so, reconnects by itself and reads the card again', async () => {
    await sim({ action: 'tap', resident: 0 });
    const page = await open();
    await visible(page, 'card');
    const port = d.port;
    await stopOrKill(d);
    await page.locator('#problem-reason', { hasText: /CONNECTION_CLOSED|DAEMON_UNREACHABLE/ }).waitFor();
    expect(await page.textContent('#card-name')).toBe(''); // the card is forgotten with the connection
    d = await startSimulatedDaemon({ EKTP_BRIDGE_PORT: String(port) });
    // the simulated reader of a fresh daemon holds its first card: read as soon as the page is back
    await visible(page, 'card', 30_000);
    await page.close();
  });
});
