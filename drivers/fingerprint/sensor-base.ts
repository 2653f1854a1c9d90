/**
 * What every sensor driver shares: open/close state, one operation at a time, the finger polling
 * loop with its deadline and cancellation, finger events, and turning "the device went away" into
 * SENSOR_REMOVED. A driver fills in four steps (openDevice, closeDevice, detectFinger, readImage),
 * the way a libfprint driver fills in its class.
 */
import { EventEmitter } from 'node:events';
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { BridgeError, isBridgeError, toBridgeError } from '../../protocols/errors.ts';
import { Deadline, sleep, throwIfAborted } from './abort.ts';
import type {
  CaptureOptions,
  FingerprintSensor,
  SensorDescriptor,
  SensorEvents,
  WaitForFingerOptions,
} from './types.ts';

export const DEFAULT_CAPTURE_TIMEOUT_MS = 15_000;

export abstract class SensorBase extends EventEmitter<SensorEvents> implements FingerprintSensor {
  abstract readonly descriptor: SensorDescriptor;
  /** pause between two finger checks that found nothing */
  protected pollIntervalMs = 50;

  private opened = false;
  private busy = false;
  private gone = false;
  private fingerOn = false;
  /** a finger was detected by waitForFinger and not yet captured */
  private fingerReady = false;

  get isOpen(): boolean {
    return this.opened;
  }

  /** true once the device was unplugged; the sensor must be opened anew */
  get removed(): boolean {
    return this.gone;
  }

  async open(): Promise<void> {
    if (this.opened) return;
    this.gone = false;
    await this.openDevice();
    this.opened = true;
    this.fingerOn = false;
    this.fingerReady = false;
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    await this.closeDevice();
  }

  waitForFinger({ timeoutMs, signal }: WaitForFingerOptions): Promise<void> {
    return this.exclusive(async () => {
      await this.pollForFinger(timeoutMs, signal);
      this.fingerReady = true;
    });
  }

  capture({ signal, timeoutMs = DEFAULT_CAPTURE_TIMEOUT_MS }: CaptureOptions = {}): Promise<GrayImage> {
    return this.exclusive(async () => {
      if (!this.fingerReady) await this.pollForFinger(timeoutMs, signal);
      this.fingerReady = false;
      throwIfAborted(signal);
      try {
        return await this.readImage(signal);
      } catch (e) {
        // A driver reports a finger lifted between detection and capture as CAPTURE_TIMEOUT.
        if (isBridgeError(e, 'CAPTURE_TIMEOUT')) this.setFinger(false);
        throw e;
      }
    });
  }

  /** connects to the device and brings it to a known state */
  protected abstract openDevice(): Promise<void>;
  /** releases the device; must not throw when it is already gone */
  protected abstract closeDevice(): Promise<void>;
  /** one check: is a finger on the sensor now? (may capture into the module's buffer) */
  protected abstract detectFinger(signal?: AbortSignal): Promise<boolean>;
  /** reads the image of the finger just detected */
  protected abstract readImage(signal?: AbortSignal): Promise<GrayImage>;

  /** Drivers call this when the transport reports the device gone (USB detach, port closed). */
  protected markRemoved(): void {
    if (this.gone) return;
    this.gone = true;
    const wasOpen = this.opened;
    this.opened = false;
    if (wasOpen) {
      // Announce it once the handles are released, so a listener may reopen straight away.
      void this.closeDevice()
        .catch(() => undefined)
        .finally(() => this.emit('removed'));
    }
  }

  private async pollForFinger(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = new Deadline(timeoutMs, 'CAPTURE_TIMEOUT');
    for (;;) {
      throwIfAborted(signal);
      // A driver that learns of the unplug in the background (hotplug, interrupt loop) may not
      // fail its next check: stop here.
      if (this.gone) throw new BridgeError('SENSOR_REMOVED');
      const on = await this.detectFinger(signal);
      this.setFinger(on);
      if (on) return;
      deadline.check();
      await sleep(Math.min(this.pollIntervalMs, deadline.remainingMs), signal);
    }
  }

  private setFinger(on: boolean): void {
    if (on === this.fingerOn) return;
    this.fingerOn = on;
    this.emit(on ? 'finger-placed' : 'finger-removed');
  }

  private async exclusive<T>(operation: () => Promise<T>): Promise<T> {
    if (this.gone) throw new BridgeError('SENSOR_REMOVED');
    if (!this.opened) throw new BridgeError('NO_SENSOR', `sensor ${this.descriptor.id} is not open`);
    if (this.busy) throw new BridgeError('BUSY', `sensor ${this.descriptor.id} is busy`);
    this.busy = true;
    try {
      return await operation();
    } catch (e) {
      // Whatever failed, if the device is gone meanwhile that is the reason the caller needs.
      if (this.gone && !isBridgeError(e, 'CANCELLED'))
        throw new BridgeError('SENSOR_REMOVED', undefined, undefined, { cause: e });
      throw toBridgeError(e);
    } finally {
      this.busy = false;
    }
  }
}
