import type { Command } from 'commander';
import { loadOrCreateDeviceKey } from '../../keys/device-key.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { printJson } from '../output.ts';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the device key that signs receipts');
  withConfigOption(
    keys
      .command('show')
      .description('print the device id and public key (JWK) that backends register (made on first use)'),
  ).action(async (opts: { config?: string }) => {
    const config = loadCliConfig(opts);
    const key = await loadOrCreateDeviceKey(config.dataDir);
    printJson({ deviceId: key.deviceId, publicKey: key.publicJwk });
  });
}
