import { BridgeError } from '../../protocols/errors.ts';
import { EktpBridgeClient } from '../client/index.ts';
import type { Config } from '../config/types.ts';
import { loadDevBackend } from '../security/dev-backend.ts';

/**
 * Commands like `read` and `devices` ask the running daemon when there is one (it owns the readers
 * and the open SAM) and fall back to driving the hardware themselves when there is none. They connect
 * with the daemon's own origin, which the default configuration allows.
 */
export async function connectToDaemon(config: Config): Promise<EktpBridgeClient | undefined> {
  const origin = selfOrigin(config);
  const client = new EktpBridgeClient({ origin });
  try {
    await client.connect(`ws://127.0.0.1:${config.port}/v1`);
    return client;
  } catch {
    return undefined;
  }
}

export function selfOrigin(config: Config): string {
  return `http://127.0.0.1:${config.port}`;
}

/**
 * The ticket for an operation the CLI asks the daemon for: the one given with the command's ticket
 * flag (`flag`, e.g. --ticket or verify's --read-ticket; minted by the backend), else — on a demo machine that ran `serve --simulate` — one minted with the local
 * development backend key. Never a way around the check: without either, the daemon says
 * TICKET_REQUIRED (when tickets are required) and so does this.
 */
export async function ticketFor(
  config: Config,
  op: string,
  scope: string[],
  given: string | undefined,
  flag: string,
): Promise<string | undefined> {
  if (given) return given;
  try {
    const dev = await loadDevBackend(config.dataDir);
    return await dev.mint({ op, scope, origin: selfOrigin(config), ttlSeconds: 60 });
  } catch {
    if (!config.security.requireTickets) return undefined;
    throw new BridgeError(
      'TICKET_REQUIRED',
      `${op} through the daemon needs a ticket: pass ${flag} (minted by your backend)`,
    );
  }
}
