/**
 * Minutiae extraction from a greyscale fingerprint image, top to bottom. Each stage is one file;
 * all constants are in parameters.ts; `options.debug` sees a snapshot after every stage.
 *
 * Input at any resolution: images more than 3% away from 500 dpi are resampled to 500 dpi inside,
 * and the minutiae are mapped back, so the result is in the INPUT image's pixels with its dpi.
 */
import type { GrayImage, Minutia, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { IMAGE_BUDGET, resampleToDpi } from '../image/index.ts';
import { binarise } from './binarise.ts';
import { type ExtractionDebugSink, NO_DEBUG } from './debug.ts';
import { dilate, enhanceRidges } from './enhance.ts';
import { estimateRidgeFrequency } from './frequency.ts';
import { applyLocalQuality } from './minutiae/apply-quality.ts';
import { detectMinutiae } from './minutiae/detect.ts';
import { removeBorderMinutiae } from './minutiae/remove-border.ts';
import { removeClusters } from './minutiae/remove-clusters.ts';
import { removeLakesAndBridges } from './minutiae/remove-lakes-bridges.ts';
import { removeArtefactPairs } from './minutiae/remove-pairs.ts';
import { normaliseLocal } from './normalise.ts';
import { estimateOrientationField } from './orientation.ts';
import { type ExtractorParameters, PARAMS } from './parameters.ts';
import { blockQuality, imageQuality } from './quality.ts';
import { FRESH_BUFFERS, THREAD_BUFFERS } from './scratch.ts';
import { segmentBlocks } from './segmentation.ts';
import { joinRidgeBreaks } from './skeleton/join.ts';
import { neighbourOffsets } from './skeleton/neighbourhood.ts';
import { pruneSkeleton } from './skeleton/prune.ts';
import { thin } from './skeleton/thin.ts';
import { SkeletonWalker } from './skeleton/trace.ts';

export type { ExtractionDebugSink, ExtractionStage } from './debug.ts';
export { estimateRidgeFrequency, type FrequencyField, type FrequencyOptions } from './frequency.ts';
export { normaliseLocal } from './normalise.ts';
export { estimateOrientationField, type OrientationField, type OrientationOptions } from './orientation.ts';

export type ExtractionResult = MinutiaeSet & {
  /** NFIQ-like finger image quality 0..100 (higher is better); also in `quality`. */
  imageQuality: number;
  /** Fraction of the image covered by the finger mask, 0..1. */
  foregroundRatio: number;
};

export interface ExtractionOptions {
  debug?: ExtractionDebugSink;
  /** constants to use instead of parameters.ts's (a live view, live-views.ts; tuning scripts) */
  parameters?: Partial<ExtractorParameters>;
}

export function extractMinutiae(image: GrayImage, options: ExtractionOptions = {}): ExtractionResult {
  const debug = options.debug ?? NO_DEBUG;
  // Debug snapshots outlive the call, so they must not be overwritten by the next extraction.
  const buffers = options.debug ? FRESH_BUFFERS : THREAD_BUFFERS;
  validate(image);
  const P: ExtractorParameters = options.parameters ? { ...PARAMS, ...options.parameters } : PARAMS;
  const work =
    Math.abs(image.dpi / P.workingDpi - 1) > P.dpiTolerance ? resampleToDpi(image, P.workingDpi) : image;
  debug('resampled', work);
  const { width, height } = work;

  const field = estimateOrientationField(work.pixels, width, height, {
    blockSize: P.blockSize,
    smoothSigma: P.orientationSmoothSigma,
    smoothRadius: P.orientationSmoothRadius,
  });
  debug('orientation', field);
  const mask = segmentBlocks(field, {
    energyRatio: P.segmentEnergyRatio,
    minCoherence: P.segmentMinCoherence,
    minComponentRatio: P.segmentMinComponentRatio,
    erodeBlocks: P.segmentErodeBlocks,
    closeBlocks: P.segmentCloseBlocks,
  });
  debug('mask', mask);
  const needed = dilate(dilate(mask, field.cols, field.rows), field.cols, field.rows);
  const normalised = normaliseLocal(
    work.pixels,
    width,
    height,
    P.blockSize,
    P.normaliseRadius,
    needed,
    buffers,
  );
  debug('normalised', normalised);
  const frequency = estimateRidgeFrequency(normalised, width, height, field, mask, {
    windowLength: P.frequencyWindowLength,
    windowWidth: P.frequencyWindowWidth,
    minPeriod: P.minPeriod,
    maxPeriod: P.maxPeriod,
    defaultPeriod: P.defaultPeriod,
    smoothRadius: P.frequencySmoothRadius,
  });
  debug('frequency', frequency);
  const enhanced = enhanceRidges(normalised, width, height, field, frequency, mask, P, buffers);
  debug('enhanced', enhanced);
  const bin = binarise(enhanced, buffers);
  debug('binarised', bin);
  const offsets = neighbourOffsets(enhanced.layout.stride);
  const thinned = thin(bin, enhanced.layout, buffers);
  debug('thinned', bin);
  const walker = new SkeletonWalker(bin, offsets, buffers);
  const joined = joinRidgeBreaks(bin, thinned, enhanced.layout, walker, field, frequency, P);
  const skeleton = pruneSkeleton(bin, joined, walker, offsets, P);
  debug('pruned', bin);
  const detected = detectMinutiae(skeleton, enhanced.layout, walker, field, mask, P);
  debug('detected', detected);

  const quality = blockQuality(field, mask, P.clearGradient);
  let kept = removeLakesAndBridges(detected, enhanced.layout, walker, field, P);
  kept = removeBorderMinutiae(kept, field, mask, P.borderDistance, P.borderTipDistance);
  kept = removeArtefactPairs(kept, field, frequency, P);
  kept = removeClusters(kept, P.clusterRadius, P.clusterCount);
  kept = applyLocalQuality(kept, field, quality, P.minBlockQuality);
  debug('filtered', kept);

  let foreground = 0;
  for (let i = 0; i < mask.length; i++) foreground += mask[i];
  const score = imageQuality(quality, mask, kept.length);
  const sx = image.width / width;
  const sy = image.height / height;
  const minutiae: Minutia[] = kept.map((m) => ({
    // Pixel centres map as (x + 0.5) * scale - 0.5; clamp for the last row/column.
    x: Math.min(image.width - 1, Math.max(0, Math.round((m.x + 0.5) * sx - 0.5))),
    y: Math.min(image.height - 1, Math.max(0, Math.round((m.y + 0.5) * sy - 0.5))),
    angle: m.angle,
    type: m.type,
    // ISO reserves 0 for "not reported".
    quality: Math.max(1, Math.min(100, Math.round(100 * m.quality))),
  }));
  return {
    width: image.width,
    height: image.height,
    dpiX: image.dpi,
    dpiY: image.dpi,
    minutiae,
    quality: score,
    fingerPosition: 0,
    imageQuality: score,
    foregroundRatio: foreground / mask.length,
  };
}

function validate(image: GrayImage): void {
  const { width, height, dpi, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64) {
    throw new BridgeError('INVALID_PARAMS', 'fingerprint image must be at least 64×64 pixels');
  }
  if (!(dpi >= 250 && dpi <= 1500)) {
    throw new BridgeError('INVALID_PARAMS', 'fingerprint image dpi out of range');
  }
  // The size that matters is the one at the working resolution (a 64-pixel image at 1000 dpi is 3 mm).
  if (Math.min(width, height) * (PARAMS.workingDpi / dpi) < 64) {
    throw new BridgeError('INVALID_PARAMS', 'fingerprint image smaller than 64×64 pixels at 500 dpi');
  }
  if (pixels.length !== width * height)
    throw new BridgeError('INVALID_PARAMS', 'pixel count does not match size');
  // The working size after resampling is what costs memory and time (~20 bytes a pixel): 4096x4096
  // at 250 dpi would become 8192x8192 (1.3 GB, 10 s). Refused from the numbers, before resampling.
  const scale = Math.abs(dpi / PARAMS.workingDpi - 1) > PARAMS.dpiTolerance ? PARAMS.workingDpi / dpi : 1;
  const workW = Math.max(1, Math.round(width * scale));
  const workH = Math.max(1, Math.round(height * scale));
  if (workW * workH > IMAGE_BUDGET.maxWorkingPixels) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `fingerprint image refused: ${width}x${height} at ${dpi} dpi is ${workW}x${workH} at ${PARAMS.workingDpi} dpi, over the extractor's ${IMAGE_BUDGET.maxWorkingPixels}-pixel working budget`,
    );
  }
}
