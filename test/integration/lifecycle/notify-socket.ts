import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

/**
 * A fake systemd notify socket: a unix datagram socket bound at `path` (Node cannot bind one, so
 * python3 does: it is in .ci/setup) that hands every datagram it receives to the test, stamped with
 * the time it arrived.
 */
export interface NotifySocket {
  messages: { at: number; text: string }[];
  /** resolves with the first message containing `needle` (received after `since`) */
  waitFor(needle: string, timeoutMs: number, since?: number): Promise<{ at: number; text: string }>;
  close(): void;
}

const RECEIVER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("bound"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode()), flush=True)
`;

export function havePython(): boolean {
  return spawnSync('python3', ['-c', 'import socket'], { stdio: 'ignore' }).status === 0;
}

export async function openNotifySocket(path: string): Promise<NotifySocket> {
  const proc: ChildProcess = spawn('python3', ['-c', RECEIVER, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const messages: { at: number; text: string }[] = [];
  let buf = '';
  let bound!: () => void;
  const ready = new Promise<void>((r) => {
    bound = r;
  });
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    buf += chunk;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const text = JSON.parse(l) as string;
      if (text === 'bound') bound();
      else messages.push({ at: Date.now(), text });
    }
  });
  await ready;
  return {
    messages,
    async waitFor(needle, timeoutMs, since = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.find((x) => x.at >= since && x.text.includes(needle));
        if (m) return m;
        if (Date.now() > deadline)
          throw new Error(`no ${needle} on the notify socket within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => void proc.kill('SIGKILL'),
  };
}
