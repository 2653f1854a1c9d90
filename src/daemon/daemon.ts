import { readFileSync } from 'node:fs';
import { PcscLiteStack } from '../../drivers/pcsc/pcsclite-stack.ts';
import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { SimulatedWorld } from '../../simulator/world.ts';
import type { Config } from '../config/types.ts';
import { loadOrCreateDeviceKey } from '../keys/device-key.ts';
import type { Logger } from '../log/index.ts';
import { createServer } from '../server/index.ts';
import { DaemonServices } from '../services/bridge-services.ts';
import { createCardSide } from './card-side.ts';

export interface DaemonOptions {
  config: Config;
  logger: Logger;
  /** the in-process simulator replaces pcscd, readers, SAM and card */
  simulate?: boolean;
}

export interface Daemon {
  port: number;
  services: DaemonServices;
  world?: SimulatedWorld;
  close(): Promise<void>;
}

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

/** Builds and starts everything `ektp-bridge serve` runs; close() stops it in reverse order. */
export async function startDaemon({ config, logger, simulate }: DaemonOptions): Promise<Daemon> {
  const deviceKey = await loadOrCreateDeviceKey(config.dataDir);
  let stack: CardReaderStack;
  let world: SimulatedWorld | undefined;
  if (simulate) {
    world = new SimulatedWorld(config.simulate as { seed?: number; residents?: number } | undefined);
    stack = world.stack;
  } else {
    const log = logger.child({ component: 'pcsc' });
    stack = new PcscLiteStack({ log: (level, msg) => log[level](msg) });
  }
  const card = createCardSide(stack, config, logger, world ? () => world.samKey() : undefined);
  const services = new DaemonServices({ version: VERSION, deviceKey, ...card });
  const server = createServer({ config, services, logger });
  const { port } = await server.listen();
  logger.info({ port, simulate: !!simulate, deviceId: deviceKey.deviceId }, 'ektp-bridge listening');
  return {
    port,
    services,
    world,
    async close() {
      await server.close();
      await card.sam.close();
      await stack.close();
    },
  };
}
