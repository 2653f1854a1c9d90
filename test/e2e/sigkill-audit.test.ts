import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/audit/index.ts';
import { EktpBridgeClient } from '../../src/client/index.ts';
import { receiptHash } from '../../src/receipts/index.ts';
import { loadDevBackend } from '../../src/security/dev-backend.ts';
import { startSimulatedDaemon } from './helpers.ts';

/**
 * Issue: "every verification a client got a response for is in the log, and the log still verifies",
 * with the daemon killed by SIGKILL at random moments of a stream of verifications.
 */
describe('audit trail survives SIGKILL of the daemon during a stream of verifications', () => {
  it('keeps every answered verification and a log that verifies', async () => {
    const answered: string[] = [];
    let dataDir = '';
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      const d = await startSimulatedDaemon({
        EKTP_BRIDGE_SIMULATE: JSON.stringify({ residents: 1, finger: 'genuine' }),
        ...(dataDir ? { EKTP_BRIDGE_DATADIR: dataDir } : {}),
      });
      dataDir = String(d.env.EKTP_BRIDGE_DATADIR);
      const origin = `http://127.0.0.1:${d.port}`;
      const dev = await loadDevBackend(dataDir);
      const client = new EktpBridgeClient({ origin });
      await client.connect(`ws://127.0.0.1:${d.port}/v1`);
      const killAfterMs = 800 + Math.random() * 2500;
      const killer = setTimeout(() => d.proc.kill('SIGKILL'), killAfterMs);
      // a stream of verifications until the daemon dies under us
      for (;;) {
        try {
          const ticket = await dev.mint({ op: 'finger.verify', scope: [], origin });
          const v = await client.call('finger.verify', { ticket });
          answered.push(v.receipt);
        } catch {
          break; // connection gone: the daemon was killed
        }
      }
      clearTimeout(killer);
      await new Promise((r) =>
        d.proc.exitCode !== null || d.proc.signalCode ? r(null) : d.proc.once('exit', r),
      );
      client.close();
    }
    expect(answered.length).toBeGreaterThan(rounds);
    const log = join(dataDir, 'audit.log');
    // hash chain, every mac, the signed checkpoints and the receipt chain head
    const result = await verifyAuditTrail(dataDir);
    expect(result.ok, result.reason).toBe(true);
    expect(result.keyed).toBe(true);
    const logged = new Set(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).receiptHash as string | undefined),
    );
    const missing = answered.filter((r) => !logged.has(receiptHash(r)));
    expect(missing).toEqual([]);
  });
});
