/**
 * Real synthetic fingers for the simulated world: each resident's card carries the minutiae of ONE
 * impression (the enrolment, impression 0) of that resident's synthetic fingers, extracted with the
 * daemon's own extractor, and the simulated sensor shows OTHER impressions of whichever finger the
 * test or demo puts on the platen. So a genuine live finger matches the card for the same reasons a
 * real one does, and an impostor fails for the same reasons.
 *
 * Cost and startup: a resident takes two master fingers (~0.25 s each to draw, main thread), two
 * impressions (~0.05 s each) and two extractions (~0.2 s each, on the pool's workers). Residents are
 * therefore prepared lazily, once each, when their card is tapped through `tapCard` (or asked for
 * through `cardFilesFor` / `prepare`), with `prepareAll` to warm the rest in the background. A disk
 * cache was not worth its invalidation rules at ~0.6 s per resident: the daemon pays for the card
 * on the reader (resident 0) at start and nothing else up front.
 *
 * The extractor is a parameter (the MatchPool of src/biometrics/pool fits), so the simulator does
 * not depend on src/.
 */
import type { GrayImage, MinutiaeSet } from '../protocols/biometrics/types.ts';
import type { SimulatedCard } from './ektp/card.ts';
import type { CardFiles } from './ektp/card-files.ts';
import { type SyntheticFinger, syntheticFinger } from './fingerprints/index.ts';
import { issueCard } from './residents/issue-card.ts';
import { LEFT_INDEX, type Resident, RIGHT_INDEX } from './residents/resident.ts';
import type {
  FingerControl,
  FingerPresentation,
  ImageRequest,
  ImageSource,
} from './sensors/finger-control.ts';
import { SimulatedSensor, type SimulatedSensorOptions } from './sensors/simulated-sensor.ts';
import type { SimulatedWorld } from './world.ts';

/** Anything that extracts minutiae off the main thread: MatchPool does. */
export interface FingerExtractor {
  extract(image: GrayImage, signal?: AbortSignal): Promise<MinutiaeSet>;
}

/** The enrolment impression on the card; live impressions are drawn from LIVE_IMPRESSION_BASE up. */
export const ENROLMENT_IMPRESSION = 0;
export const LIVE_IMPRESSION_BASE = 1000;

export interface SimulatedFingersOptions {
  /** passed to the SimulatedSensor (capture time, preview frames, size) */
  sensor?: Omit<SimulatedSensorOptions, 'images' | 'control'>;
  /** which finger of the person the sensor presents: 0 right index (card EF.MINUTIAE1), 1 left index */
  finger?: 0 | 1;
  /** what is on the platen at start (default none): 'genuine' lets a demo capture with no control surface */
  present?: FingerPresentation;
}

export interface SimulatedFingers {
  readonly sensor: SimulatedSensor;
  /** genuineFinger(), otherFinger(), poorQuality(), noFinger(), unplug(), plugIn() */
  readonly control: FingerControl;
  /** the resident whose finger is "genuine": the last one whose card was tapped through tapCard */
  holder: number;
  /** the finger presented: 0 right index, 1 left index */
  finger: 0 | 1;
  /** Makes resident i's card templates come from their synthetic fingers (once); the world's entry is replaced. */
  prepare(index: number): Promise<Resident>;
  /** Resident i's card files with those templates (prepared on first use). */
  cardFilesFor(index: number): Promise<CardFiles>;
  /** Prepares resident i, taps their card on the simulated reader, and makes them the holder. */
  tapCard(index: number, opts?: Parameters<SimulatedWorld['tapCard']>[1]): Promise<SimulatedCard>;
  /** Prepares every resident, one after the other (background warm-up). */
  prepareAll(): Promise<void>;
}

export function createSimulatedFingers(
  world: SimulatedWorld,
  extractor: FingerExtractor,
  options: SimulatedFingersOptions = {},
): SimulatedFingers {
  const masters = new Map<number, SyntheticFinger>();
  const master = (seed: number) => {
    let f = masters.get(seed);
    if (!f) {
      f = syntheticFinger(seed);
      masters.set(seed, f);
    }
    return f;
  };
  const prepared = new Map<number, Promise<Resident>>();
  // The platen reads who is holding the card and which finger at each capture.
  const state = { holder: 0, finger: options.finger ?? 0 };
  const images: ImageSource = (request) => liveImpression(request, world.residents, state, master);
  const sensor = new SimulatedSensor({ ...options.sensor, images });
  if (options.present) sensor.control.place(options.present);

  const prepare = (index: number): Promise<Resident> => {
    const resident = world.residents[index];
    if (!resident)
      return Promise.reject(new RangeError(`no resident ${index} (the world has ${world.residents.length})`));
    let p = prepared.get(index);
    if (!p) {
      p = enrol(resident, master, extractor).then((withFingers) => {
        world.residents[index] = withFingers;
        return withFingers;
      });
      // A failed preparation (pool closed) may be retried by the next caller.
      p.catch(() => prepared.delete(index));
      prepared.set(index, p);
    }
    return p;
  };

  return {
    sensor,
    control: sensor.control,
    get holder() {
      return state.holder;
    },
    set holder(index: number) {
      state.holder = index;
    },
    get finger() {
      return state.finger;
    },
    set finger(which: 0 | 1) {
      state.finger = which;
    },
    prepare,
    async cardFilesFor(index) {
      return issueCard(await prepare(index), world.keys);
    },
    async tapCard(index, opts) {
      await prepare(index);
      const card = world.tapCard(index, opts);
      state.holder = index;
      return card;
    },
    async prepareAll() {
      for (let i = 0; i < world.residents.length; i++) await prepare(i);
    },
  };
}

/** The resident with card minutiae extracted from the enrolment impression of each index finger. */
async function enrol(
  resident: Resident,
  master: (seed: number) => SyntheticFinger,
  extractor: FingerExtractor,
): Promise<Resident> {
  const positions = [RIGHT_INDEX, LEFT_INDEX] as const;
  // Draw both first (main thread), then extract both at once on the pool.
  const images = resident.fingerSeeds.map((seed) => master(seed).impression(ENROLMENT_IMPRESSION));
  const sets = await Promise.all(images.map((image) => extractor.extract(image)));
  const fingers = sets.map((set, i) => cardTemplate(set, positions[i])) as [MinutiaeSet, MinutiaeSet];
  return { ...resident, fingers };
}

/** Only the MinutiaeSet fields, with the card's finger position (extractors add diagnostics). */
function cardTemplate(set: MinutiaeSet, fingerPosition: number): MinutiaeSet {
  return {
    width: set.width,
    height: set.height,
    dpiX: set.dpiX,
    dpiY: set.dpiY,
    quality: Math.round(set.quality),
    fingerPosition,
    minutiae: set.minutiae.map((m) => ({ x: m.x, y: m.y, angle: m.angle, type: m.type, quality: m.quality })),
  };
}

/**
 * What the platen shows: genuine and poor are the holder's finger, other is the same finger of the
 * next resident (someone the world knows, as at a real counter), each capture a new impression.
 */
function liveImpression(
  request: ImageRequest,
  residents: readonly Resident[],
  state: { holder: number; finger: 0 | 1 },
  master: (seed: number) => SyntheticFinger,
): GrayImage {
  const n = residents.length;
  const holder = residents[state.holder] ? state.holder : 0;
  let seed = residents[holder].fingerSeeds[state.finger];
  if (request.presentation === 'other') {
    // With a single resident, "someone else" is a finger no resident has.
    seed = n > 1 ? residents[(holder + 1) % n].fingerSeeds[state.finger] : seed ^ 0x5a5a5a5a;
  }
  return master(seed).impression(LIVE_IMPRESSION_BASE + request.sequence, {
    width: request.width,
    height: request.height,
    quality: request.presentation === 'poor' ? 'poor' : 'good',
  });
}
