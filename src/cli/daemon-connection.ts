import { EktpBridgeClient } from '../client/index.ts';
import type { Config } from '../config/types.ts';

/**
 * Commands like `read` and `devices` ask the running daemon when there is one (it owns the readers
 * and the open SAM) and fall back to driving the hardware themselves when there is none. They connect
 * with the daemon's own origin, which the default configuration allows.
 */
export async function connectToDaemon(config: Config): Promise<EktpBridgeClient | undefined> {
  const origin = `http://127.0.0.1:${config.port}`;
  const client = new EktpBridgeClient({ origin });
  try {
    await client.connect(`ws://127.0.0.1:${config.port}/v1`);
    return client;
  } catch {
    return undefined;
  }
}
