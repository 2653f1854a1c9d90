/**
 * finger.capture, and the live capture that finger.verify compares with the card: take a sensor
 * (one operation per sensor), wait for a finger, capture, extract the minutiae in the match pool
 * (never on the main thread), and report along the way (progress steps, finger.placed / removed,
 * optional finger.preview frames).
 *
 * Templates and images stay in memory and are never logged; only the caller gets them.
 */
import { EventEmitter } from 'node:events';
import { DEFAULT_CAPTURE_TIMEOUT_MS } from '../../../drivers/fingerprint/sensor-base.ts';
import type { FingerprintSensor } from '../../../drivers/fingerprint/types.ts';
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { BridgeError, isBridgeError, toBridgeError } from '../../../protocols/errors.ts';
import type { ExtractionResult } from '../../biometrics/extract/index.ts';
import { LIVE_VIEWS } from '../../biometrics/extract/parameters.ts';
import { encodePng } from '../../biometrics/image/index.ts';
import type { SensorLease } from '../../devices/sensors.ts';
import type { Notification, OperationContext } from '../types.ts';
import { DEFAULT_PREVIEW_INTERVAL_MS, previewFrame, RateLimiter } from './preview.ts';

export interface CaptureParams {
  sensorId?: string;
  timeoutMs?: number;
  /** send finger.preview frames while capturing */
  preview?: boolean;
}

/**
 * OperationContext plus two things the server seam may give later: the request id (for the
 * `requestId` of finger events) and a way to notify only the requesting client. Without `notify`,
 * finger events are broadcast through onNotification, carrying the requestId when known.
 */
export interface CaptureContext extends OperationContext {
  requestId?: string | number | null;
  notify?: (method: string, params: Record<string, unknown>) => void;
}

/** finger.capture's result (api-v1) */
export interface CaptureResult {
  sensorId: string;
  /** PNG, base64 */
  image: string;
  width: number;
  height: number;
  dpi: number;
  /** 0..100, higher is better */
  quality: number;
  minutiaeCount: number;
}

/** A live finger ready for comparison. `template` is biometric data: keep it in memory, never log it. */
export interface CapturedTemplate {
  sensorId: string;
  template: MinutiaeSet;
  /**
   * With `liveViews` (finger.verify): extracts the capture's other live views (extract/live-views.ts;
   * `template` is the first), from a copy of the image kept for it, when the verify needs them
   */
  otherViews?: (signal?: AbortSignal) => Promise<MinutiaeSet[]>;
  /** 0..100, higher is better */
  quality: number;
  minutiaeCount: number;
  width: number;
  height: number;
  dpi: number;
}

export interface CaptureServiceDeps {
  /** the sensor manager (src/devices/sensors.ts), or anything that hands out sensor leases */
  sensors: { acquire(id?: string): SensorLease };
  /** the match pool (src/biometrics/pool): extraction runs on its worker threads */
  pool: {
    /** `view`: which live view (extract/live-views.ts), 0 by default */
    extract(img: GrayImage, signal?: AbortSignal, view?: number): Promise<ExtractionResult>;
  };
  /** minimum pause between two finger.preview frames (default 250 ms) */
  previewIntervalMs?: number;
}

interface Captured {
  sensorId: string;
  image: GrayImage;
  extraction: ExtractionResult;
}

const NOTIFY = 'notification';

export class CaptureService {
  private readonly events = new EventEmitter<{ [NOTIFY]: [Notification] }>();

  constructor(private readonly deps: CaptureServiceDeps) {
    this.events.setMaxListeners(0);
  }

  /** finger.placed, finger.removed and finger.preview of captures whose context cannot notify */
  onNotification(listener: (n: Notification) => void): () => void {
    this.events.on(NOTIFY, listener);
    return () => this.events.off(NOTIFY, listener);
  }

  /** finger.capture: the image as PNG with its quality and minutiae count */
  async capture(params: CaptureParams, ctx: CaptureContext): Promise<CaptureResult> {
    const { sensorId, image, extraction } = await this.run(params, ctx, { keepImage: true });
    return {
      sensorId,
      image: encodePng(image).toString('base64'),
      width: image.width,
      height: image.height,
      dpi: image.dpi,
      quality: Math.round(extraction.imageQuality),
      minutiaeCount: extraction.minutiae.length,
    };
  }

  /**
   * The live finger's minutiae for finger.verify / finger.identify. No image is kept, except with
   * `liveViews` (finger.verify): a copy then stays with `otherViews` until the verify is done with it.
   */
  async captureTemplate(
    params: CaptureParams,
    ctx: CaptureContext,
    options: { liveViews?: boolean } = {},
  ): Promise<CapturedTemplate> {
    const liveViews = options.liveViews ?? false;
    const { sensorId, image, extraction } = await this.run(params, ctx, { keepImage: liveViews });
    const otherViews = async (signal?: AbortSignal) => {
      const views: MinutiaeSet[] = [];
      for (let view = 1; view < LIVE_VIEWS.length; view++) {
        const copy = { ...image, pixels: image.pixels.slice() };
        views.push(minutiaeSetOf(await this.deps.pool.extract(copy, signal, view)));
      }
      return views;
    };
    return {
      sensorId,
      template: minutiaeSetOf(extraction),
      ...(liveViews && { otherViews }),
      quality: Math.round(extraction.imageQuality),
      minutiaeCount: extraction.minutiae.length,
      width: extraction.width,
      height: extraction.height,
      dpi: extraction.dpiX,
    };
  }

  private async run(
    params: CaptureParams,
    ctx: CaptureContext,
    { keepImage }: { keepImage: boolean },
  ): Promise<Captured> {
    const timeoutMs = params.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new BridgeError('INVALID_PARAMS', 'timeoutMs must be positive');
    if (ctx.signal.aborted) throw new BridgeError('CANCELLED');
    const lease = this.deps.sensors.acquire(params.sensorId);
    // The sensor is ours (NO_SENSOR and BUSY are behind us): the ticket's nonce is spent now.
    ctx.started?.();
    const { sensor, id: sensorId } = lease;
    // Aborted when the sensor goes away, so a wait or a transfer in progress stops at once.
    const unplugged = new AbortController();
    const signal = AbortSignal.any([ctx.signal, unplugged.signal]);
    const unsubscribe = this.follow(sensor, sensorId, params, ctx, () => unplugged.abort());
    try {
      ctx.progress('waiting-finger', 0);
      const started = Date.now();
      await sensor.waitForFinger({ timeoutMs, signal });
      ctx.progress('capturing', 30);
      const image = await sensor.capture({
        signal,
        timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)),
      });
      // The image is in hand: an unplug from now on does not spoil this capture.
      unsubscribe();
      ctx.progress('extracting', 80);
      // The pool moves the pixels to the worker; keep our own copy when the image is returned.
      const forPool = keepImage ? { ...image, pixels: image.pixels.slice() } : image;
      const extraction = await this.deps.pool.extract(forPool, ctx.signal);
      return { sensorId, image, extraction };
    } catch (e) {
      throw reason(e, unplugged.signal.aborted, ctx.signal.aborted);
    } finally {
      unsubscribe();
      lease.release();
    }
  }

  /** Relays the sensor's finger events for the time of one capture; returns the unsubscribe. */
  private follow(
    sensor: FingerprintSensor,
    sensorId: string,
    params: CaptureParams,
    ctx: CaptureContext,
    onRemoved: () => void,
  ): () => void {
    const base = ctx.requestId == null ? { sensorId } : { requestId: ctx.requestId, sensorId };
    const send = (method: string, extra: Record<string, unknown> = {}) => {
      const p = { ...base, ...extra };
      if (ctx.notify) ctx.notify(method, p);
      else this.events.emit(NOTIFY, { method, params: p });
    };
    const limiter = new RateLimiter(this.deps.previewIntervalMs ?? DEFAULT_PREVIEW_INTERVAL_MS);
    const placed = () => send('finger.placed');
    const removed = () => send('finger.removed');
    const preview = (image: GrayImage) => {
      if (!limiter.allow()) return;
      send('finger.preview', { ...previewFrame(image) });
    };
    sensor.on('finger-placed', placed);
    sensor.on('finger-removed', removed);
    sensor.on('removed', onRemoved);
    if (params.preview) sensor.on('preview', preview);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      sensor.off('finger-placed', placed);
      sensor.off('finger-removed', removed);
      sensor.off('removed', onRemoved);
      sensor.off('preview', preview);
    };
  }
}

/** The error the client needs: the sensor leaving or the caller cancelling explain any failure after it. */
function reason(e: unknown, unplugged: boolean, cancelled: boolean): BridgeError {
  if (unplugged || isBridgeError(e, 'SENSOR_REMOVED'))
    return isBridgeError(e, 'SENSOR_REMOVED')
      ? e
      : new BridgeError('SENSOR_REMOVED', undefined, undefined, { cause: e });
  if (cancelled)
    return isBridgeError(e, 'CANCELLED')
      ? e
      : new BridgeError('CANCELLED', undefined, undefined, { cause: e });
  return toBridgeError(e);
}

/** Only the MinutiaeSet fields: the extractor's extra diagnostics stay behind. */
function minutiaeSetOf(x: ExtractionResult): MinutiaeSet {
  return {
    width: x.width,
    height: x.height,
    dpiX: x.dpiX,
    dpiY: x.dpiY,
    quality: x.quality,
    fingerPosition: x.fingerPosition,
    minutiae: x.minutiae.map((m) => ({ x: m.x, y: m.y, angle: m.angle, type: m.type, quality: m.quality })),
  };
}
