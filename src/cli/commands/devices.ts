import type { Command } from 'commander';
import { SimulatedSensor } from '../../../simulator/sensors/simulated-sensor.ts';
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
      .option(
        '--simulate',
        'when no daemon runs, list the built-in simulator (its RF and SAM readers and its fingerprint sensor) ' +
          'instead of PC/SC and the sensors',
      ),
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
      note(
        opts.simulate
          ? 'no daemon answering; listing the built-in simulator'
          : 'no daemon answering; asking PC/SC and the sensors directly',
      );
      const readers = await withDirectCardSide(config, !!opts.simulate, async (side) =>
        side.directory.list().map((r) => ({
          name: r.name,
          role: r.role,
          state: r.cardPresent ? 'card-present' : 'empty',
        })),
      );
      list = { readers, sensors: await directSensors(config, !!opts.simulate) };
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

/**
 * Configured serial sensors and USB sensors found by their ids, opened once and closed again; with
 * --simulate the simulated sensor only, listed as a simulating daemon lists it.
 */
async function directSensors(config: Config, simulate: boolean): Promise<Array<Record<string, unknown>>> {
  const manager = new SensorManager({
    configs: simulate ? [] : config.sensors,
    usbBus: simulate ? null : undefined,
  });
  try {
    await manager.start();
    // listing takes no image: no finger is drawn
    if (simulate) await manager.addSensor(new SimulatedSensor({ images: () => 'no-finger' }));
    return manager.list().map(({ id, driver, name, state }) => ({ id, driver, name, state }));
  } finally {
    await manager.close();
  }
}
