/**
 * The simulated world's fingers end to end: the card on the reader carries templates extracted from
 * its holder's synthetic fingers, and a live capture from the simulated sensor (through the sensor
 * manager, the capture service and the real match pool) matches it above the matcher's default
 * threshold, while someone else's finger does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { unframeFile } from '../../../protocols/ektp/files.ts';
import { SimulatedWorld } from '../../../simulator/world.ts';
import { createSimulatedFingers, type SimulatedFingers } from '../../../simulator/world-fingers.ts';
import { compare, DEFAULT_THRESHOLD } from '../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { SensorManager } from '../../../src/devices/sensors.ts';
import { CaptureService } from '../../../src/services/finger/capture-service.ts';

const ctx = () => ({
  signal: new AbortController().signal,
  progress: () => {},
  origin: 'http://127.0.0.1:7215',
});

describe('simulated world with synthetic fingers', () => {
  let pool: MatchPool;
  let world: SimulatedWorld;
  let fingers: SimulatedFingers;
  let manager: SensorManager;
  let capture: CaptureService;

  beforeAll(async () => {
    pool = new MatchPool({ threads: 2 });
    world = new SimulatedWorld({ residents: 3, noCard: true });
    fingers = createSimulatedFingers(world, pool, { sensor: { captureMs: 20, previewFrames: 0 } });
    manager = new SensorManager({ usbBus: null });
    await manager.start();
    await manager.addSensor(fingers.sensor);
    capture = new CaptureService({ sensors: manager, pool });
  });

  afterAll(async () => {
    await manager?.close();
    await pool?.close();
  });

  function cardTemplates(files: { files: Record<string, Uint8Array> }): MinutiaeSet[] {
    return [files.files.MINUTIAE1, files.files.MINUTIAE2].map((f) => decodeIso19794_2(unframeFile(f)));
  }

  async function live(): Promise<MinutiaeSet> {
    return (await capture.captureTemplate({ timeoutMs: 5_000 }, ctx())).template;
  }

  it("puts templates of the holder's own fingers on the card, with the ISO finger positions", async () => {
    const card = await fingers.tapCard(0);
    const [right, left] = cardTemplates(card.files);
    expect([right.fingerPosition, left.fingerPosition]).toEqual([2, 7]);
    expect(right.minutiae.length).toBeGreaterThan(15);
    expect(left.minutiae.length).toBeGreaterThan(15);
    // the card holds what the world's resident now holds
    expect(right.minutiae.length).toBe(world.residents[0].fingers[0].minutiae.length);
  });

  it('a genuine live finger matches the card; another resident and a second genuine capture behave', async () => {
    const card = await fingers.tapCard(1);
    const [right, left] = cardTemplates(card.files);
    fingers.control.genuineFinger();
    const first = await live();
    const second = await live();
    fingers.control.otherFinger();
    const other = await live();
    fingers.control.noFinger();
    const genuine = [compare(first, right), compare(second, right)];
    const impostor = compare(other, right);
    console.log(
      `genuine ${genuine.map((s) => s.toFixed(3))}, impostor ${impostor.toFixed(3)}, threshold ${DEFAULT_THRESHOLD}`,
    );
    for (const s of genuine) expect(s).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(impostor).toBeLessThan(DEFAULT_THRESHOLD);
    // the right index is not the left index
    expect(compare(first, left)).toBeLessThan(DEFAULT_THRESHOLD);
    // each capture is a new impression, not a copy of the enrolment
    expect(first.minutiae).not.toEqual(right.minutiae);
    expect(first.minutiae).not.toEqual(second.minutiae);
  });

  it('the other finger is the next resident, whose own card it matches', async () => {
    const next = await fingers.cardFilesFor(2);
    fingers.control.otherFinger();
    const other = await live();
    fingers.control.noFinger();
    expect(compare(other, cardTemplates(next)[0])).toBeGreaterThan(DEFAULT_THRESHOLD);
  });

  it('presents the left index when asked, matching EF.MINUTIAE2', async () => {
    const card = await fingers.tapCard(0);
    fingers.finger = 1;
    fingers.control.genuineFinger();
    const t = await live();
    fingers.control.noFinger();
    fingers.finger = 0;
    expect(compare(t, cardTemplates(card.files)[1])).toBeGreaterThan(DEFAULT_THRESHOLD);
  });

  it('a poor-quality impression reports lower quality than a good one', async () => {
    await fingers.tapCard(0);
    fingers.control.genuineFinger();
    const good = await capture.capture({}, ctx());
    fingers.control.poorQuality();
    const poor = await capture.capture({}, ctx());
    fingers.control.noFinger();
    expect(poor.quality).toBeLessThan(good.quality);
  });

  it('can start with a finger on the platen, for demos with no control surface', () => {
    const demo = createSimulatedFingers(world, pool, { present: 'genuine' });
    expect(demo.control.state).toBe('genuine');
    expect(createSimulatedFingers(world, pool).control.state).toBe('none');
  });

  it('prepares each resident once, however often asked', async () => {
    const a = await fingers.prepare(2);
    const b = await fingers.prepare(2);
    expect(a).toBe(b);
    expect(world.residents[2]).toBe(a);
    await expect(fingers.prepare(9)).rejects.toThrow(RangeError);
  });
});
