/**
 * What a simulated sensor sees on its platen, and where its pictures come from. Tests and the
 * `serve --simulate` control surface drive the FingerControl (genuine finger, other finger, no
 * finger, poor quality, unplug); the images come from an ImageSource, normally the synthetic
 * fingerprints of simulator/fingerprints, so this folder never draws a finger itself.
 */
import { EventEmitter } from 'node:events';
import type { GrayImage } from '../../protocols/biometrics/types.ts';

/** genuine: the card holder's finger; other: someone else's; poor: the holder's, badly placed */
export type FingerPresentation = 'genuine' | 'other' | 'poor';
export type PlatenState = FingerPresentation | 'none';

export interface ImageRequest {
  /** the size and resolution the simulated sensor delivers */
  width: number;
  height: number;
  dpi: number;
  presentation: FingerPresentation;
  /** counts the images taken from this control: a different impression each time */
  sequence: number;
  /** the simulated model, e.g. 'grow', 'gt521', 'simulated' */
  sensor: string;
}

/** Returns the image of the finger on the platen, or 'no-finger' to say the platen is empty. */
export type ImageSource = (request: ImageRequest) => GrayImage | 'no-finger';

export interface FingerControlEvents {
  change: [state: PlatenState];
  unplug: [];
  plug: [];
}

export class FingerControl extends EventEmitter<FingerControlEvents> {
  private current: PlatenState = 'none';
  private pulled = false;
  private taken = 0;

  get state(): PlatenState {
    return this.current;
  }

  get unplugged(): boolean {
    return this.pulled;
  }

  place(presentation: FingerPresentation = 'genuine'): void {
    this.set(presentation);
  }

  genuineFinger(): void {
    this.set('genuine');
  }

  otherFinger(): void {
    this.set('other');
  }

  poorQuality(): void {
    this.set('poor');
  }

  noFinger(): void {
    this.set('none');
  }

  /** the device leaves the bus (or its cable is pulled) */
  unplug(): void {
    if (this.pulled) return;
    this.pulled = true;
    this.emit('unplug');
  }

  /**
   * The device is back (in-process simulated sensor only: it can be opened again). A pty-based
   * module stays gone, as its socat pair has ended; start a new rig instead.
   */
  plugIn(): void {
    if (!this.pulled) return;
    this.pulled = false;
    this.emit('plug');
  }

  /** The image of what is on the platen now, sized for the sensor, or 'no-finger'. */
  takeImage(
    source: ImageSource,
    sensor: { width: number; height: number; dpi: number; name: string },
  ): GrayImage | 'no-finger' {
    if (this.current === 'none') return 'no-finger';
    const image = source({
      width: sensor.width,
      height: sensor.height,
      dpi: sensor.dpi,
      presentation: this.current,
      sequence: this.taken++,
      sensor: sensor.name,
    });
    if (image === 'no-finger') return image;
    return fitImage(image, sensor.width, sensor.height, sensor.dpi);
  }

  private set(state: PlatenState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit('change', state);
  }
}

/**
 * Centres `image` on a white platen of the sensor's size, cropping what does not fit, so any
 * source works with any simulated model. (No rescaling: sources are asked for the sensor's dpi.)
 */
export function fitImage(image: GrayImage, width: number, height: number, dpi: number): GrayImage {
  if (image.width === width && image.height === height) return { ...image, dpi };
  const pixels = new Uint8Array(width * height).fill(255);
  const dx = Math.floor((width - image.width) / 2);
  const dy = Math.floor((height - image.height) / 2);
  for (let y = 0; y < height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= image.height) continue;
    const x0 = Math.max(0, dx);
    const x1 = Math.min(width, dx + image.width);
    if (x1 <= x0) continue;
    pixels.set(
      image.pixels.subarray(sy * image.width + (x0 - dx), sy * image.width + (x1 - dx)),
      y * width + x0,
    );
  }
  return { width, height, dpi, pixels };
}
