/**
 * What `serve --simulate` pays for real synthetic fingers, and what a capture costs, on this machine:
 *   npx tsx test/bench/finger/simulated-startup.ts [residents=5]
 * Prints wall-clock figures; the startup target is ~5 s in total on a 2-core machine.
 */

import { SimulatedWorld } from '../../../simulator/world.ts';
import { createSimulatedFingers } from '../../../simulator/world-fingers.ts';
import { compare } from '../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { SensorManager } from '../../../src/devices/sensors.ts';
import { CaptureService } from '../../../src/services/finger/capture-service.ts';

const residents = Number(process.argv[2] ?? 5);
const t0 = performance.now();
const lap = (() => {
  let last = t0;
  return (label: string) => {
    const now = performance.now();
    console.log(
      `${label.padEnd(44)} ${(now - last).toFixed(0).padStart(6)} ms  (total ${(now - t0).toFixed(0)} ms)`,
    );
    last = now;
  };
})();

const pool = new MatchPool({ threads: 2 });
lap('MatchPool created');
const world = new SimulatedWorld({ residents, noCard: true });
lap(`SimulatedWorld with ${residents} residents`);
const fingers = createSimulatedFingers(world, pool, { sensor: { captureMs: 300 } });
const manager = new SensorManager({ usbBus: null });
await manager.start();
await manager.addSensor(fingers.sensor);
lap('fingers + sensor manager');
await fingers.tapCard(0);
lap('resident 0 prepared and card tapped (cold pool)');
await fingers.prepareAll();
lap(`the other ${residents - 1} residents prepared`);

const service = new CaptureService({ sensors: manager, pool });
const ctx = { signal: new AbortController().signal, progress: () => {}, origin: 'bench' };
fingers.control.genuineFinger();
const times: number[] = [];
let best = 0;
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  const t = await service.captureTemplate({}, ctx);
  times.push(performance.now() - s);
  best = Math.max(best, compare(t.template, world.residents[0].fingers[0]));
}
times.sort((a, b) => a - b);
console.log(
  `captureTemplate (captureMs 300, genuine): median ${times[2].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[4].toFixed(0)} ms; best genuine score ${best.toFixed(3)}`,
);
await manager.close();
await pool.close();
