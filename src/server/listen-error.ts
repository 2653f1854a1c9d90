import { createServer as createNetServer } from 'node:net';
import { BridgeError } from '../../protocols/errors.ts';

/**
 * What `serve` says when it cannot bind its port, instead of an INTERNAL error with Node's stack:
 * the address and port, and what branch IT does about it. EADDRINUSE is BUSY (the port is taken,
 * on a branch PC almost always by the installed service); EACCES is INVALID_PARAMS (the configured
 * port is one this user may not bind). Any other failure is returned as it is.
 */
export function listenError(e: unknown, host: string, port: number): unknown {
  const errno = (e as NodeJS.ErrnoException)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const choose = 'choose another port (configuration key "port", or EKTP_BRIDGE_PORT=<n>)';
  if (errno === 'EADDRINUSE') {
    return new BridgeError(
      'BUSY',
      `cannot listen on ${where}: the address is already in use, probably by another ektp-bridge ` +
        '(the installed service: see `systemctl status ektp-bridge`, stop it with ' +
        `\`systemctl stop ektp-bridge\`) or another program. Stop that one, or ${choose}`,
      { host, port, errno },
      { cause: e },
    );
  }
  if (errno === 'EACCES') {
    return new BridgeError(
      'INVALID_PARAMS',
      `cannot listen on ${where}: permission denied (ports below 1024 need privileges); ${choose}`,
      { host, port, errno },
      { cause: e },
    );
  }
  return e;
}

/**
 * Fails as listen() would (listenError) when config.port cannot be bound, before the daemon opens
 * anything in its dataDir: a second `serve` next to the running service must not append its start
 * and stop checkpoints to the service's audit log (which breaks that chain) or tidy its temporary
 * files. Addresses the host does not have are skipped, as listen() skips them; port 0 always binds.
 */
export async function checkPortFree(hosts: readonly string[], port: number): Promise<void> {
  if (port === 0) return;
  for (const host of hosts) {
    const probe = createNetServer();
    try {
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen({ host, port, exclusive: true }, () => resolve());
      });
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException).code;
      if (errno === 'EADDRNOTAVAIL' || errno === 'EAFNOSUPPORT') continue;
      throw listenError(e, host, port);
    } finally {
      await new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()));
    }
  }
}
