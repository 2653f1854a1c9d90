import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogPath, verifyAuditLog } from '../../../src/audit/index.ts';
import { EktpBridgeClient, EktpBridgeError } from '../../../src/client/index.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { type Daemon, startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { receiptHash, verifyReceipt } from '../../../src/receipts/index.ts';
import { loadDevBackend } from '../../../src/security/dev-backend.ts';

const ALL = ['biodata', 'photo', 'signature', 'fingers'];
/** what a backend computes from the forwarded record: SHA-256 over its RFC 8785 form, base64url */
const digestOfCard = (card: unknown) =>
  createHash('sha256').update(canonicalize(card)!, 'utf8').digest('base64url');

describe('finger.verify end to end on the simulated counter (tickets, receipts, audit)', () => {
  let daemon: Daemon;
  let dataDir: string;
  let client: EktpBridgeClient;
  let origin: string;
  let results = 0;
  /** calls refused after the card was known (TOO_MANY_ATTEMPTS): audited without a receipt */
  let refusals = 0;
  /** the other verify calls this file ends in an error after the card was known: audited too */
  const unfinished = ['CANCELLED', 'CARD_REMOVED', 'CARD_DATA_INVALID', 'POOR_QUALITY'];

  const ticket = async (op: string, over: { origin?: string; scope?: string[]; clockMs?: number } = {}) => {
    const dev = await loadDevBackend(dataDir, over.clockMs === undefined ? undefined : () => over.clockMs!);
    return dev.mint({ op, scope: over.scope ?? ALL, origin: over.origin ?? origin, ttlSeconds: 60 });
  };
  const reason = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'no error';
    } catch (e) {
      return e instanceof EktpBridgeError ? e.reason : String(e);
    }
  };
  const fingers = () => daemon.fingers!;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ektp-verify-'));
    const config = validateConfig({
      port: 0,
      dataDir,
      hosts: ['127.0.0.1'],
      simulate: { residents: 2 },
      // above the simulator's "poor" presentation (about 24), below its good impressions
      finger: { minQuality: 30 },
    });
    daemon = await startDaemon({ config, logger: silentLogger(), simulate: true });
    origin = `http://127.0.0.1:${daemon.port}`;
    client = new EktpBridgeClient({ origin });
    await client.connect(`ws://127.0.0.1:${daemon.port}/v1`);
  });
  afterAll(async () => {
    client?.close();
    await daemon?.close();
  });

  it('matches the genuine finger, with a receipt that verifies and chains to the read', async () => {
    fingers().control.genuineFinger();
    const info = await client.call('system.info', {});
    const read = await client.call('card.read', { ticket: await ticket('card.read') });
    results++;
    expect(read.card.documentSignature).toBe('valid');
    const steps: string[] = [];
    const v = await client.call(
      'finger.verify',
      { ticket: await ticket('finger.verify') },
      { onProgress: (p) => steps.push(p.step) },
    );
    results++;
    expect(v.matched).toBe(true);
    expect(v.score).toBeGreaterThanOrEqual(v.threshold);
    expect(v.attempts).toBe(1);
    expect([2, 7]).toContain(v.finger);
    expect(steps.some((s) => s.startsWith('attempt-1'))).toBe(true);
    const claims = await verifyReceipt(v.receipt, info.devicePublicKey as never);
    expect(claims).toMatchObject({ op: 'finger.verify', matched: true, origin, iss: info.deviceId });
    expect(claims.prev).toBe(receiptHash(read.receipt));
    expect(claims.nik).toBe(read.card.nik);
    // the verify is bound to the read whose templates it used, to those templates and to the sensor
    const readClaims = await verifyReceipt(read.receipt, info.devicePublicKey as never);
    expect(readClaims.cardDigest).toBe(digestOfCard(read.card));
    expect(claims.cardDigest).toBe(readClaims.cardDigest);
    expect(claims.templatesDigest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claims).toMatchObject({
      daemonVersion: info.version,
      sensorDriver: 'simulated',
      sensorModel: 'Simulated fingerprint sensor',
      sensorSerial: 'SIM-0001',
    });
  });

  it('binds card.read receipts to the record sent: any change to it changes the digest', async () => {
    const info = await client.call('system.info', {});
    const read = await client.call('card.read', { ticket: await ticket('card.read') });
    results++;
    const claims = await verifyReceipt(read.receipt, info.devicePublicKey as never);
    expect(claims.cardDigest).toBe(digestOfCard(read.card));
    expect(digestOfCard({ ...read.card, alamat: `${read.card.alamat}.` })).not.toBe(claims.cardDigest);
    // fingers only: no biodata read, so no nik claim at all (not an empty string)
    const fingersOnly = await client.call('card.read', {
      fields: ['fingers'],
      ticket: await ticket('card.read', { scope: ['fingers'] }),
    });
    results++;
    const c2 = await verifyReceipt(fingersOnly.receipt, info.devicePublicKey as never);
    expect(c2).not.toHaveProperty('nik');
    expect(c2.cardDigest).toBe(digestOfCard(fingersOnly.card));
  });

  it('a verify that read the templates itself carries no cardDigest (no record was returned)', async () => {
    daemon.world!.pullCard();
    await fingers().tapCard(0);
    fingers().control.genuineFinger();
    const info = await client.call('system.info', {});
    const v = await client.call('finger.verify', { ticket: await ticket('finger.verify') });
    results++;
    const claims = await verifyReceipt(v.receipt, info.devicePublicKey as never);
    expect(claims.matched).toBe(true);
    expect(claims).not.toHaveProperty('cardDigest');
    expect(claims.templatesDigest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claims.documentSignature).toBe('not-checked');
  });

  it('signs finger.capture with the digest of the PNG it returns', async () => {
    fingers().control.genuineFinger();
    const info = await client.call('system.info', {});
    const cap = await client.call('finger.capture', { ticket: await ticket('finger.capture') });
    results++;
    const claims = await verifyReceipt(cap.receipt, info.devicePublicKey as never);
    const png = Buffer.from(cap.image, 'base64');
    expect(claims).toMatchObject({ op: 'finger.capture', sensor: cap.sensorId, sensorDriver: 'simulated' });
    expect(claims.imageDigest).toBe(createHash('sha256').update(png).digest('base64url'));
  });

  it("gives FINGER_NOT_MATCHED for another person's finger after maxAttempts, with a receipt", async () => {
    fingers().control.otherFinger();
    try {
      await client.call('finger.verify', { maxAttempts: 2, ticket: await ticket('finger.verify') });
      throw new Error('matched another person');
    } catch (e) {
      results++;
      expect((e as EktpBridgeError).reason).toBe('FINGER_NOT_MATCHED');
      const detail = (e as EktpBridgeError).detail as {
        attempts: number;
        matched: boolean;
        receipt: string;
        score: number;
        threshold: number;
      };
      expect(detail.attempts).toBe(2);
      expect(detail.matched).toBe(false);
      expect(detail.score).toBeLessThan(detail.threshold);
      const info = await client.call('system.info', {});
      expect((await verifyReceipt(detail.receipt, info.devicePublicKey as never)).matched).toBe(false);
    }
  });

  it('refuses expired, replayed, wrong-origin, wrong-op and missing tickets', async () => {
    fingers().control.genuineFinger();
    const old = await ticket('card.read', { clockMs: Date.now() - 10 * 60_000 });
    expect(await reason(client.call('card.read', { ticket: old }))).toBe('TICKET_INVALID');
    const once = await ticket('card.read', { scope: ['biodata'] });
    expect((await client.call('card.read', { fields: ['biodata'], ticket: once })).card.nik).toBeTruthy();
    results++;
    expect(await reason(client.call('card.read', { fields: ['biodata'], ticket: once }))).toBe(
      'TICKET_INVALID',
    );
    expect(
      await reason(
        client.call('card.read', { ticket: await ticket('card.read', { origin: 'https://other.example' }) }),
      ),
    ).toBe('TICKET_INVALID');
    expect(await reason(client.call('finger.verify', { ticket: await ticket('card.read') }))).toBe(
      'TICKET_INVALID',
    );
    expect(await reason(client.call('card.read', {}))).toBe('TICKET_REQUIRED');
  });

  it('returns only the fields the ticket allows', async () => {
    const r = await client.call('card.read', { ticket: await ticket('card.read', { scope: ['biodata'] }) });
    results++;
    expect(r.card.nik).toBeTruthy();
    expect(r.card.photo).toBeUndefined();
    expect(r.card.fingers).toBeUndefined();
  });

  it('answers BUSY to a second verify, and cancels the first', async () => {
    fingers().control.noFinger();
    const first = client.call('finger.verify', { timeoutMs: 20_000, ticket: await ticket('finger.verify') });
    await new Promise((r) => setTimeout(r, 300));
    expect(await reason(client.call('finger.verify', { ticket: await ticket('finger.verify') }))).toBe(
      'BUSY',
    );
    await first.cancel();
    expect(await reason(first)).toBe('CANCELLED');
  });

  it('gives CARD_REMOVED when the card leaves during a verify, and wipes its templates', async () => {
    fingers().control.noFinger();
    await client.call('card.read', { ticket: await ticket('card.read') });
    results++;
    expect((await daemon.services.health()).cardsHeld).toBe(1);
    const p = client.call('finger.verify', { timeoutMs: 20_000, ticket: await ticket('finger.verify') });
    await new Promise((r) => setTimeout(r, 300));
    daemon.world!.pullCard();
    expect(await reason(p)).toBe('CARD_REMOVED');
    expect((await daemon.services.health()).cardsHeld).toBe(0);
    await fingers().tapCard(0);
  });

  it('refuses to verify against a tampered card (documented policy)', async () => {
    await fingers().tapCard(1, { faults: { tamperedBiodata: true } });
    fingers().control.genuineFinger();
    const r = await client.call('card.read', { ticket: await ticket('card.read') });
    results++;
    expect(r.card.documentSignature).toBe('invalid');
    expect(await reason(client.call('finger.verify', { ticket: await ticket('finger.verify') }))).toBe(
      'CARD_DATA_INVALID',
    );
    await fingers().tapCard(0);
  });

  it('says why each attempt failed, in operation.progress and in the error (poor captures)', async () => {
    fingers().control.poorQuality();
    const capture = await client.call('finger.capture', { ticket: await ticket('finger.capture') });
    results++; // a capture is signed and audited too
    const progress: { step: string; reason?: unknown }[] = [];
    const err = await client
      .call(
        'finger.verify',
        { maxAttempts: 2, ticket: await ticket('finger.verify') },
        { onProgress: (p) => progress.push(p as never) },
      )
      .then(
        () => undefined,
        (e: EktpBridgeError) => e,
      );
    const info = await client.call('system.info', {});
    const policy = info.verifyPolicy as { minQuality: number; minMinutiae: number };
    // the simulator's poor finger is below this daemon's gate: neither attempt is compared
    expect(capture.quality < policy.minQuality || capture.minutiaeCount < policy.minMinutiae).toBe(true);
    expect(err?.reason).toBe('POOR_QUALITY');
    const reasons = (err?.detail as { reasons: string[] } | undefined)?.reasons ?? [];
    expect(reasons).toHaveLength(2);
    for (const r of reasons) expect(['POOR_QUALITY', 'TOO_FEW_MINUTIAE']).toContain(r);
    const failed = progress.filter((p) => /^attempt-\d+:failed$/.test(p.step)).map((p) => p.reason);
    expect(failed).toEqual(reasons);
  });

  it('reports its verify policy, and locks a card out after lockoutFailures failed calls', async () => {
    const info = await client.call('system.info', {});
    const policy = info.verifyPolicy as Record<string, number>;
    expect(policy.targetFmr).toBeLessThanOrEqual(0.001);
    expect(policy).toMatchObject({ lockoutFailures: 5, lockoutSeconds: 86400, maxAttempts: 3, liveViews: 2 });
    // the default rule: any single comparison against one per-comparison threshold at every stage
    const rule = info.verifyPolicy as { combine: string; rule: string; stageThresholds: number[] };
    expect(rule).toMatchObject({ combine: 'best', rule: 'best-single-comparison' });
    expect(rule.stageThresholds).toHaveLength(3);
    expect(new Set(rule.stageThresholds).size).toBe(1);
    // a card no earlier test failed with: resident 1's, with resident 0's finger on the sensor
    await fingers().tapCard(1);
    fingers().control.otherFinger();
    let failed = 0;
    let refusal: EktpBridgeError | undefined;
    while (!refusal && failed <= policy.lockoutFailures) {
      try {
        await client.call('finger.verify', { maxAttempts: 1, ticket: await ticket('finger.verify') });
        throw new Error('matched another person');
      } catch (e) {
        const r = (e as EktpBridgeError).reason;
        if (r === 'FINGER_NOT_MATCHED') {
          failed++;
          results++;
          expect(((e as EktpBridgeError).detail as { reasons: string[] }).reasons).toEqual(['NOT_MATCHED']);
        } else if (r === 'TOO_MANY_ATTEMPTS') {
          refusal = e as EktpBridgeError;
          refusals++;
        } else throw e;
      }
    }
    expect(failed).toBe(policy.lockoutFailures);
    expect(
      (refusal?.detail as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds,
    ).toBeGreaterThan(86000);
    // the holder too is refused now: the lockout is per card, not per finger
    fingers().control.genuineFinger();
    expect(await reason(client.call('finger.verify', { ticket: await ticket('finger.verify') }))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    refusals++;
    // the simulator's demo control clears it (a demo would otherwise stay locked for a day)
    const cleared = await fetch(`http://127.0.0.1:${daemon.port}/dev/simulator`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'clear-lockout' }),
    });
    expect(cleared.status).toBe(200);
    const v = await client.call('finger.verify', { ticket: await ticket('finger.verify') });
    results++;
    expect(v.matched).toBe(true);
    await fingers().tapCard(0);
  });

  it('has written every result to the audit log, which verifies', async () => {
    const v = await verifyAuditLog(auditLogPath(dataDir));
    expect(v.ok).toBe(true);
    // results with their receipts, plus the verify calls that failed once the card was known (no
    // receipt: an entry with the error code), plus the signed start checkpoint
    expect(v.entries - v.checkpoints).toBe(results + refusals + unfinished.length);
    const lines = readFileSync(auditLogPath(dataDir), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const failed = lines.filter((l) => l.error);
    expect(failed.map((l) => l.error).sort()).toEqual(
      [...unfinished, ...Array(refusals).fill('TOO_MANY_ATTEMPTS')].sort(),
    );
    for (const l of failed) {
      expect(l).toMatchObject({ type: 'finger.verify', chipSerial: expect.any(String) });
      expect(l.receiptHash).toBeUndefined();
    }
  });
});
