import { EktpBridgeClient } from '../../src/client/index.ts';
import { loadDevBackend } from '../../src/security/dev-backend.ts';

export interface Exercised {
  documentSignature: unknown;
  nikDigits: boolean;
  matched: unknown;
  receipts: string[];
}

/**
 * What a counter does against a simulating daemon on `port`: a full card.read, then a finger.verify
 * against that card, each with a ticket minted by the simulator's development backend (its key in
 * `dataDir`), over the WebSocket. Returns what the tests assert on, and both receipts.
 */
export async function readAndVerify(port: number, dataDir: string): Promise<Exercised> {
  const origin = `http://127.0.0.1:${port}`;
  const dev = await loadDevBackend(dataDir);
  const client = new EktpBridgeClient({ origin });
  await client.connect(`ws://127.0.0.1:${port}/v1`);
  try {
    const read = await client.call('card.read', {
      ticket: await dev.mint({
        op: 'card.read',
        scope: ['biodata', 'photo', 'signature', 'fingers'],
        origin,
      }),
    });
    const verify = await client.call('finger.verify', {
      ticket: await dev.mint({ op: 'finger.verify', scope: [], origin }),
    });
    return {
      documentSignature: read.card.documentSignature,
      nikDigits: /^\d{16}$/.test(String(read.card.nik)),
      matched: verify.matched,
      receipts: [read.receipt, verify.receipt],
    };
  } finally {
    client.close();
  }
}

/** Polls GET /health until it answers (any status) or `timeoutMs` passes; returns the elapsed ms. */
export async function waitForHealth(port: number, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return performance.now() - started;
    } catch {
      if (performance.now() - started > timeoutMs)
        throw new Error(`no /health on port ${port} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
