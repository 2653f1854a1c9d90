/**
 * Wires the fingerprint half of the daemon, as card-side.ts wires the card half: the sensor manager
 * (configured serial sensors, USB discovery and hotplug) and the capture service on the match pool.
 * With a simulated world, the simulated sensor and the world's synthetic fingers replace the
 * hardware: no serial port is opened and USB is not scanned.
 */

import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import type { SimulatedWorld } from '../../../simulator/world.ts';
import type { SimulatedFingers, SimulatedFingersOptions } from '../../../simulator/world-fingers.ts';
import { createSimulatedFingers } from '../../../simulator/world-fingers.ts';
import type { MatchPool } from '../../biometrics/pool/index.ts';
import type { Config } from '../../config/types.ts';
import { SensorManager } from '../../devices/sensors.ts';
import type { Logger } from '../../log/index.ts';
import type { Notification } from '../types.ts';
import { CaptureService } from './capture-service.ts';

export interface FingerSideOptions {
  config: Config;
  pool: MatchPool;
  logger: Logger;
  /** serve --simulate: the world whose residents get synthetic fingers */
  world?: SimulatedWorld;
  /** with a world: prepare resident 0 and tap their card before returning (default true) */
  tapFirstCard?: boolean;
  /** with a world: options of the simulated sensor and finger */
  simulated?: SimulatedFingersOptions;
}

export interface FingerSide {
  sensors: SensorManager;
  capture: CaptureService;
  /** the simulated fingers (control, tapCard) when running on a world */
  fingers?: SimulatedFingers;
  /**
   * The live capture finger.verify (and finger.identify) needs, in the shape of verify-service.ts's
   * CaptureTemplate: finger events are broadcast (the request carries no way to reach only its
   * client). With `liveViews` (finger.verify), `otherViews` extracts the capture's other live views;
   * without, it gives none.
   */
  captureTemplate(req: {
    sensorId?: string;
    timeoutMs?: number;
    preview?: boolean;
    liveViews?: boolean;
    signal: AbortSignal;
    progress: (step: string) => void;
  }): Promise<{
    set: MinutiaeSet;
    otherViews: (signal?: AbortSignal) => Promise<MinutiaeSet[]>;
    quality: number;
    sensorId: string;
  }>;
  /** sensor.added / sensor.removed / finger.* notifications of both; returns the unsubscribe */
  onNotification(listener: (n: Notification) => void): () => void;
  /** with a world: prepares the other residents in the background (call once listening) */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export async function createFingerSide(opts: FingerSideOptions): Promise<FingerSide> {
  const log = opts.logger.child({ component: 'sensors' });
  const sensors = new SensorManager({
    configs: opts.world ? [] : opts.config.sensors,
    usbBus: opts.world ? null : undefined,
    log: (level, msg, extra) => log[level](extra ?? {}, msg),
  });
  let fingers: SimulatedFingers | undefined;
  if (opts.world) {
    fingers = createSimulatedFingers(opts.world, opts.pool, opts.simulated);
    if (opts.tapFirstCard ?? true) await fingers.tapCard(0);
  }
  await sensors.start();
  if (fingers) await sensors.addSensor(fingers.sensor);
  const capture = new CaptureService({ sensors, pool: opts.pool });
  return {
    sensors,
    capture,
    fingers,
    async captureTemplate({ sensorId, timeoutMs, preview, liveViews, signal, progress }) {
      const live = await capture.captureTemplate(
        { sensorId, timeoutMs, preview },
        { signal, progress: (step) => progress(step), origin: 'finger.verify' },
        { liveViews },
      );
      const otherViews = live.otherViews ?? (async () => []);
      return { set: live.template, otherViews, quality: live.quality, sensorId: live.sensorId };
    },
    onNotification(listener) {
      const a = sensors.onNotification(listener);
      const b = capture.onNotification(listener);
      return () => {
        a();
        b();
      };
    },
    async warmUp() {
      if (!fingers) return;
      const started = performance.now();
      await fingers.prepareAll();
      log.info({ ms: Math.round(performance.now() - started) }, 'simulated residents have synthetic fingers');
    },
    close: () => sensors.close(),
  };
}
