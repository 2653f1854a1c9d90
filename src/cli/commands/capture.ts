import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { SimulatedWorld } from '../../../simulator/world.ts';
import { createSimulatedFingers } from '../../../simulator/world-fingers.ts';
import { MatchPool } from '../../biometrics/pool/index.ts';
import type { Config } from '../../config/types.ts';
import { SensorManager } from '../../devices/sensors.ts';
import { type CaptureResult, CaptureService } from '../../services/finger/capture-service.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { connectToDaemon, ticketFor } from '../daemon-connection.ts';
import { parseTimeoutMs } from '../options.ts';
import { note, printJson, printLines } from '../output.ts';

interface CaptureOpts {
  config?: string;
  out: string;
  sensor?: string;
  timeout?: string;
  json?: boolean;
  simulate?: boolean;
  ticket?: string;
}

/** what the daemon (finger.capture) or the direct capture returns */
type Captured = Omit<CaptureResult, 'sensorId'> & { sensorId?: string };

export function registerCapture(program: Command): void {
  withConfigOption(
    program
      .command('capture')
      .description('capture one fingerprint image to a PNG file (through the running daemon, else directly)')
      .requiredOption('--out <file>', 'where to write the PNG (its directory must exist)')
      .option('--sensor <id>', 'the sensor to use (ids as `devices` lists them; default: the first one)')
      .option('--timeout <ms>', 'how long to wait for a finger', '15000')
      .option(
        '--json',
        'one JSON document on stdout: { out, sensorId, width, height, dpi, quality, minutiaeCount, receipt? }',
      )
      .option(
        '--ticket <jws>',
        'backend ticket for finger.capture (on a demo machine one is minted with the dev key)',
      )
      .option(
        '--simulate',
        'when no daemon runs, capture from the built-in simulated sensor (a finger is on it)',
      ),
  ).action(async (opts: CaptureOpts) => {
    const timeoutMs = parseTimeoutMs(opts.timeout ?? '15000');
    // before the finger is taken: a capture that cannot be saved is a capture (and receipt) wasted
    checkWritable(opts.out);
    const config = loadCliConfig(opts);
    const params = { ...(opts.sensor ? { sensorId: opts.sensor } : {}), timeoutMs };
    const client = await connectToDaemon(config);
    let result: Captured;
    if (client) {
      try {
        const ticket = await ticketFor(config, 'finger.capture', [], opts.ticket, '--ticket');
        note('place a finger on the sensor');
        result = await client.call(
          'finger.capture',
          { ...params, ...(ticket ? { ticket } : {}) },
          {
            onProgress: (p) => note(`${p.step} ${p.percent}%`),
          },
        );
      } finally {
        client.close();
      }
    } else {
      note(
        opts.simulate
          ? 'no daemon answering; capturing from the simulator'
          : 'no daemon answering; using the sensors directly',
      );
      result = await captureDirectly(config, !!opts.simulate, params);
    }
    try {
      writeFileSync(opts.out, Buffer.from(result.image, 'base64'));
    } catch (e) {
      throw outError(opts.out, `could not be written (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const { image: _png, ...figures } = result;
    if (opts.json) printJson({ out: opts.out, ...figures });
    else
      printLines([
        `${opts.out}: ${result.width} x ${result.height} at ${result.dpi} dpi, quality ${result.quality}, ${result.minutiaeCount} minutiae${result.sensorId ? ` (${result.sensorId})` : ''}`,
      ]);
  });
}

/** --out names a file this process can write: its directory exists and is writable, it is not a directory. */
function checkWritable(out: string): void {
  const dir = dirname(resolve(out));
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(dir);
  } catch {
    throw outError(out, `directory ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw outError(out, `${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw outError(out, `directory ${dir} is not writable`);
  }
  try {
    if (statSync(out).isDirectory()) throw outError(out, 'it is a directory');
    accessSync(out, constants.W_OK);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw outError(out, 'the file is not writable');
  }
}

function outError(out: string, why: string): BridgeError {
  return new BridgeError('INVALID_PARAMS', `--out ${out}: ${why}`);
}

/** No daemon: this process opens the sensors (or the simulated one) and its own match pool. */
async function captureDirectly(
  config: Config,
  simulate: boolean,
  params: { sensorId?: string; timeoutMs: number },
): Promise<Captured> {
  const pool = new MatchPool({ threads: 1 });
  const sensors = new SensorManager({
    configs: simulate ? [] : config.sensors,
    usbBus: simulate ? null : undefined,
    log: (level, msg, extra) => note(`${level}: ${msg}${extra ? ` ${JSON.stringify(extra)}` : ''}`),
  });
  try {
    await sensors.start();
    if (simulate) {
      const seed = (config.simulate as { seed?: number } | undefined)?.seed;
      const world = new SimulatedWorld({ seed, residents: 2, noCard: true });
      const fingers = createSimulatedFingers(world, pool);
      fingers.control.genuineFinger();
      await sensors.addSensor(fingers.sensor);
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      note('place a finger on the sensor');
      return await new CaptureService({ sensors, pool }).capture(params, {
        signal: controller.signal,
        progress: (step, percent) => note(`${step} ${percent}%`),
        origin: 'cli',
      });
    } finally {
      process.off('SIGINT', stop);
    }
  } finally {
    await sensors.close();
    await pool.close();
  }
}
