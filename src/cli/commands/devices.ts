import type { Command } from 'commander';
import type { Config } from '../../config/types.ts';
import { SensorManager } from '../../devices/sensors.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { connectToDaemon } from '../daemon-connection.ts';
import { withDirectCardSide } from '../direct-card.ts';
import { note, printJson, printLines } from '../output.ts';

export function registerDevices(program: Command): void {
  withConfigOption(
    program
      .command('devices')
      .description('list PC/SC readers (with role rf/sam) and fingerprint sensors')
      .option('--json', 'one JSON document on stdout: { readers, sensors }')
      .option('--simulate', 'when no daemon runs, list the built-in simulator instead of PC/SC'),
  ).action(async (opts: { config?: string; json?: boolean; simulate?: boolean }) => {
    const config = loadCliConfig(opts);
    const client = await connectToDaemon(config);
    let list: { readers: Array<Record<string, unknown>>; sensors: Array<Record<string, unknown>> };
    if (client) {
      try {
        list = (await client.call('device.list', {})) as typeof list;
      } finally {
        client.close();
      }
    } else {
      note('no daemon answering; asking PC/SC directly');
      const readers = await withDirectCardSide(config, !!opts.simulate, async (side) =>
        side.directory.list().map((r) => ({
          name: r.name,
          role: r.role,
          state: r.cardPresent ? 'card-present' : 'empty',
        })),
      );
      list = { readers, sensors: opts.simulate ? [] : await directSensors(config) };
    }
    if (opts.json) return printJson(list);
    const lines = list.readers.map(
      (r) => `reader  ${String(r.role).padEnd(7)} ${String(r.state).padEnd(13)} ${r.name}`,
    );
    for (const s of list.sensors)
      lines.push(`sensor  ${String(s.driver).padEnd(7)} ${String(s.state).padEnd(13)} ${s.id}`);
    if (lines.length === 0) lines.push('no readers and no sensors found');
    printLines(lines);
  });
}

/** Configured serial sensors and USB sensors found by their ids, opened once and closed again. */
async function directSensors(config: Config): Promise<Array<Record<string, unknown>>> {
  const manager = new SensorManager({ configs: config.sensors });
  try {
    await manager.start();
    return manager.list().map(({ id, driver, name, state }) => ({ id, driver, name, state }));
  } finally {
    await manager.close();
  }
}
