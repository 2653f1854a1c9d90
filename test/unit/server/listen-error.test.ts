import { createServer as createNetServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { listenError } from '../../../src/server/listen-error.ts';
import { startServer, testConfig } from './helpers.ts';

describe('the server when it cannot bind its port', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createNetServer();
    port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)),
    );
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('says BUSY, naming the address and port and what branch IT does about it', async () => {
    const failed = startServer({ config: testConfig({ port }) });
    await expect(failed).rejects.toBeInstanceOf(BridgeError);
    await expect(failed).rejects.toMatchObject({
      code: 'BUSY',
      detail: { host: '127.0.0.1', port, errno: 'EADDRINUSE' },
    });
    const { message } = (await failed.catch((e) => e)) as BridgeError;
    expect(message).toContain(`cannot listen on 127.0.0.1:${port}: the address is already in use`);
    expect(message).toContain('systemctl status ektp-bridge');
    expect(message).toContain('choose another port');
  });

  it('says INVALID_PARAMS for a port it may not bind, and passes other failures on as they are', () => {
    const denied = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
      code: 'EACCES',
    });
    expect(listenError(denied, '::1', 80)).toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringMatching(/^cannot listen on \[::1\]:80: permission denied .*another port/),
    });
    const other = Object.assign(new Error('boom'), { code: 'EIO' });
    expect(listenError(other, '127.0.0.1', 7215)).toBe(other);
  });
});
