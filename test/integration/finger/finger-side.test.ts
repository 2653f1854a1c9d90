/**
 * The fingerprint half as serve --simulate wires it: the card of resident 0 is on the reader with
 * templates of their own fingers, the simulated sensor is managed like hardware (device.list,
 * system.info, sensor.removed on unplug), and captures run through the pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import { unframeFile } from '../../../protocols/ektp/files.ts';
import { SIM_RF_READER } from '../../../simulator/pcsc/in-process-stack.ts';
import { SimulatedWorld } from '../../../simulator/world.ts';
import { compare, DEFAULT_THRESHOLD } from '../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { createFingerSide, type FingerSide } from '../../../src/services/finger/finger-side.ts';
import type { Notification } from '../../../src/services/types.ts';

describe('finger side on a simulated world', () => {
  let pool: MatchPool;
  let world: SimulatedWorld;
  let side: FingerSide;
  const notes: Notification[] = [];
  const inserted: string[] = [];

  beforeAll(async () => {
    pool = new MatchPool({ threads: 2 });
    world = new SimulatedWorld({ residents: 2, noCard: true });
    world.stack.on('card-inserted', (name) => inserted.push(name));
    // a configured serial sensor must not be opened when simulating
    const config = validateConfig({ sensors: [{ driver: 'grow', path: '/dev/does-not-exist' }] });
    side = await createFingerSide({
      config,
      pool,
      logger: silentLogger(),
      world,
      simulated: { sensor: { captureMs: 20 } },
    });
    side.onNotification((n) => notes.push(n));
  });

  afterAll(async () => {
    await side?.close();
    await pool?.close();
  });

  it("taps resident 0's card with their fingers' templates and lists only the simulated sensor", async () => {
    expect(inserted).toEqual([SIM_RF_READER]);
    expect(side.sensors.list()).toEqual([
      { id: 'simulated', driver: 'simulated', name: expect.any(String), state: 'ready' },
    ]);
    expect(side.sensors.capabilities()).toEqual([
      expect.objectContaining({
        id: 'simulated',
        width: 288,
        height: 384,
        dpi: 500,
        preview: true,
        fingerDetect: true,
      }),
    ]);
    side.fingers?.control.genuineFinger();
    const steps: string[] = [];
    const live = await side.captureTemplate({
      signal: new AbortController().signal,
      progress: (s) => steps.push(s),
    });
    side.fingers?.control.noFinger();
    expect(steps).toEqual(['waiting-finger', 'capturing', 'extracting']);
    expect(live.sensorId).toBe('simulated');
    const card = await side.fingers!.cardFilesFor(0);
    const right = decodeIso19794_2(unframeFile(card.files.MINUTIAE1));
    expect(compare(live.set, right)).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(notes.map((n) => n.method)).toContain('finger.placed');
  });

  it('relays sensor.removed and sensor.added when the simulated sensor is unplugged and back', async () => {
    side.fingers?.control.unplug();
    for (let i = 0; i < 100 && !notes.some((n) => n.method === 'sensor.removed'); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(side.sensors.list()[0].state).toBe('absent');
    side.fingers?.control.plugIn();
    for (let i = 0; i < 200 && side.sensors.list()[0].state !== 'ready'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(notes.filter((n) => n.method.startsWith('sensor.')).map((n) => n.method)).toEqual([
      'sensor.removed',
      'sensor.added',
    ]);
  });

  it('warmUp prepares the other residents', async () => {
    const before = world.residents[1];
    await side.warmUp();
    expect(world.residents[1]).not.toBe(before);
    expect(world.residents[1].fingers[0].minutiae).not.toEqual(before.fingers[0].minutiae);
  });
});
