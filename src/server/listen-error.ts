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
