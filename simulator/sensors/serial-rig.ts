/**
 * One call to get a simulated UART sensor on a real pty: socat pair, simulated module on one end,
 * and the path the driver opens on the other. Unplugging the control kills socat, which is what
 * the driver sees when a USB-serial adapter is pulled.
 */
import { FingerControl, type ImageSource } from './finger-control.ts';
import { type GrowModuleOptions, SimulatedGrowModule } from './grow-module.ts';
import { SimulatedGt521Module } from './gt521-module.ts';
import type { Clock } from './line-pacer.ts';
import { type PtyPair, startSocatPair } from './socat-pair.ts';

export interface SerialRigOptions {
  images: ImageSource;
  control?: FingerControl;
  pacing?: boolean;
  clock?: Clock;
  baudRate?: number;
  /** Grow only */
  packetSize?: GrowModuleOptions['packetSize'];
  genImgMs?: number;
}

export interface SerialRig<M> {
  /** the port path to give the driver */
  readonly path: string;
  readonly module: M;
  readonly control: FingerControl;
  readonly pair: PtyPair;
  close(): Promise<void>;
}

export async function startGrowRig(options: SerialRigOptions): Promise<SerialRig<SimulatedGrowModule>> {
  return startRig(options, (path, control) => new SimulatedGrowModule({ ...options, path, control }));
}

export async function startGt521Rig(options: SerialRigOptions): Promise<SerialRig<SimulatedGt521Module>> {
  return startRig(options, (path, control) => new SimulatedGt521Module({ ...options, path, control }));
}

async function startRig<M extends { start(): Promise<void>; stop(): Promise<void> }>(
  options: SerialRigOptions,
  make: (path: string, control: FingerControl) => M,
): Promise<SerialRig<M>> {
  const pair = await startSocatPair();
  const control = options.control ?? new FingerControl();
  const module = make(pair.b, control);
  try {
    await module.start();
  } catch (e) {
    await pair.close();
    throw e;
  }
  control.on('unplug', () => pair.unplug());
  return {
    path: pair.a,
    module,
    control,
    pair,
    close: async () => {
      await module.stop();
      await pair.close();
    },
  };
}
