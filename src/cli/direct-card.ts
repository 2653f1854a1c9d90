import { PcscLiteStack } from '../../drivers/pcsc/pcsclite-stack.ts';
import { BridgeError } from '../../protocols/errors.ts';
import { SimulatedWorld } from '../../simulator/world.ts';
import type { Config } from '../config/types.ts';
import { type CardSide, createCardSide } from '../daemon/card-side.ts';
import { silentLogger } from '../log/index.ts';

/**
 * Runs `fn` with the card side driven by this process (no daemon running): on pcsclite, or on the
 * in-process simulator with --simulate. Gives pcscd a moment to report its readers first.
 */
export async function withDirectCardSide<T>(
  config: Config,
  simulate: boolean,
  fn: (side: CardSide) => Promise<T>,
): Promise<T> {
  const world = simulate ? new SimulatedWorld(config.simulate as { seed?: number } | undefined) : undefined;
  const stack = world?.stack ?? new PcscLiteStack();
  const side = createCardSide(stack, config, silentLogger(), world ? () => world.samKey() : undefined);
  try {
    if (!world) await settle(stack as PcscLiteStack);
    await side.directory.settled();
    return await fn(side);
  } finally {
    await side.sam.close();
    await stack.close();
  }
}

async function settle(stack: PcscLiteStack): Promise<void> {
  // pcsclite reports readers and their first status asynchronously, within a few hundred ms
  for (let i = 0; i < 20; i++) {
    if (stack.readers().length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!stack.serviceUp)
    throw new BridgeError('NO_READER', 'pcscd is not running (start it: systemctl start pcscd)');
  await new Promise((r) => setTimeout(r, 300));
}
