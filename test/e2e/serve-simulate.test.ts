import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EktpBridgeClient } from '../../src/client/index.ts';
import { loadDevBackend } from '../../src/security/dev-backend.ts';
import { runCli, startSimulatedDaemon } from './helpers.ts';

type Daemon = Awaited<ReturnType<typeof startSimulatedDaemon>>;

function upgradeStatus(
  port: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/v1',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve --simulate end to end (child process)', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startSimulatedDaemon();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('gives a WebSocket client a full record with a valid document signature', async () => {
    const client = new EktpBridgeClient({ origin: `http://127.0.0.1:${d.port}` });
    await client.connect(`ws://127.0.0.1:${d.port}/v1`);
    const steps: string[] = [];
    // the demo's development backend (its key is in the daemon's dataDir) mints the ticket
    const dev = await loadDevBackend(String(d.env.EKTP_BRIDGE_DATADIR));
    const ticket = await dev.mint({
      op: 'card.read',
      scope: ['biodata', 'photo', 'signature', 'fingers'],
      origin: `http://127.0.0.1:${d.port}`,
    });
    const r = await client.call('card.read', { ticket }, { onProgress: (p) => steps.push(p.step) });
    client.close();
    expect(r.card.documentSignature).toBe('valid');
    expect(r.card.nik).toMatch(/^\d{16}$/);
    expect(r.card.nikConsistent).toBe(true);
    expect(Buffer.from(String(r.card.photo), 'base64').subarray(0, 3)).toEqual(
      Buffer.from([0xff, 0xd8, 0xff]),
    );
    expect(r.card.fingers).toHaveLength(2);
    expect(steps).toContain('verify');
  });

  it('captures a synthetic finger through finger.capture, with finger.placed and previews', async () => {
    const client = new EktpBridgeClient({ origin: `http://127.0.0.1:${d.port}` });
    await client.connect(`ws://127.0.0.1:${d.port}/v1`);
    const events: string[] = [];
    client.on('finger.placed', () => events.push('placed'));
    client.on('finger.preview', () => events.push('preview'));
    const dev = await loadDevBackend(String(d.env.EKTP_BRIDGE_DATADIR));
    const ticket = await dev.mint({ op: 'finger.capture', scope: [], origin: `http://127.0.0.1:${d.port}` });
    const r = await client.call('finger.capture', { preview: true, ticket });
    client.close();
    const png = Buffer.from(String(r.image), 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(r.dpi).toBe(500);
    expect(r.quality).toBeGreaterThan(40);
    expect(r.minutiaeCount).toBeGreaterThan(15);
    expect(events).toContain('placed');
    expect(events).toContain('preview');
  });

  it('gives `ektp-bridge read --json` the same full record through the daemon', async () => {
    const { code, stdout, stderr } = await runCli(['read', '--json'], d.env);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.card.documentSignature).toBe('valid');
    expect(doc.card.nama).toBeTruthy();
    expect(stderr).not.toContain('reading directly');
  });

  it('a second serve beside the running one exits 1 with BUSY saying what to do, no stack', async () => {
    const auditLog = join(String(d.env.EKTP_BRIDGE_DATADIR), 'audit.log');
    const before = readFileSync(auditLog, 'utf8');
    // the same configuration (the installed service's): refused before it touches the data folder
    const same = await runCli(['serve', '--simulate'], d.env);
    expect(same.code).toBe(1);
    expect(readFileSync(auditLog, 'utf8')).toBe(before);
    expect(same.stderr).toMatch(/^BUSY: data folder .* is in use by another ektp-bridge \(pid \d+\)/m);
    expect(same.stderr).toContain('systemctl stop ektp-bridge');
    expect(same.stderr).not.toMatch(/INTERNAL|^\s+at /m);
    // a data folder of its own, the same port: refused at listen, naming the address
    const own = { ...d.env, EKTP_BRIDGE_DATADIR: mkdtempSync(join(tmpdir(), 'ektp-e2e-second-')) };
    const port = await runCli(['serve', '--simulate'], own);
    expect(port.code).toBe(1);
    expect(readFileSync(auditLog, 'utf8')).toBe(before);
    expect(port.stderr).toMatch(
      new RegExp(`^BUSY: cannot listen on 127\\.0\\.0\\.1:${d.port}: the address is already in use`, 'm'),
    );
    expect(port.stderr).toContain('systemctl status ektp-bridge');
    expect(port.stderr).not.toMatch(/INTERNAL|EADDRINUSE|^\s+at /m);
  });

  it('lists readers with their roles (devices --json)', async () => {
    const { code, stdout } = await runCli(['devices', '--json'], d.env);
    expect(code).toBe(0);
    const roles = JSON.parse(stdout)
      .readers.map((r: { role: string }) => r.role)
      .sort();
    expect(roles).toEqual(['rf', 'sam']);
  });

  it('refuses a foreign Origin and a non-loopback Host with a bare 403 at the upgrade', async () => {
    const self = `http://127.0.0.1:${d.port}`;
    expect(
      (await upgradeStatus(d.port, { Origin: 'https://evil.example', Host: `127.0.0.1:${d.port}` })).status,
    ).toBe(403);
    expect((await upgradeStatus(d.port, { Origin: self, Host: `attacker.example:${d.port}` })).status).toBe(
      403,
    );
    expect((await upgradeStatus(d.port, { Host: `127.0.0.1:${d.port}` })).status).toBe(403);
    expect((await upgradeStatus(d.port, { Origin: self, Host: `127.0.0.1:${d.port}` })).status).toBe(101);
  });

  it('survives malformed and oversized messages and keeps serving', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${d.port}/v1`, { origin: `http://127.0.0.1:${d.port}` });
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    ws.on('message', (m) => replies.push(JSON.parse(String(m))));
    ws.send('{not json');
    ws.send(
      JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'card.read', params: { fields: ['everything'] } }),
    );
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'no.such' }));
    await new Promise((r) => setTimeout(r, 300));
    const reasons = replies.map((r) => (r as { error?: { data?: { reason?: string } } }).error?.data?.reason);
    expect(reasons).toEqual(expect.arrayContaining(['PARSE_ERROR', 'INVALID_PARAMS', 'METHOD_NOT_FOUND']));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(70 * 1024));
    expect(await closed).toBe(1009);
    // the daemon is still there
    const { code } = await runCli(['devices', '--json'], d.env);
    expect(code).toBe(0);
    expect(d.proc.exitCode).toBeNull();
  });
});
