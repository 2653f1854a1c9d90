/**
 * Every tuning constant of the minutiae extractor, in one place (as SourceAFIS's Parameters.java).
 * Distances are pixels at 500 dpi: the pipeline resamples other resolutions to 500 dpi first, so one
 * set of numbers serves every sensor. Values were tuned on FVC2002 DB1_B..DB4_B against the SecuGen
 * ISO templates with test/bench/extract/compare-iso.ts.
 */
export const PARAMS = {
  /** The pipeline's working resolution. */
  workingDpi: 500,
  /** Inputs within this relative distance of 500 dpi are used as they are (resampling blurs). */
  dpiTolerance: 0.03,

  /** Local normalisation window radius in blocks (1 = 3×3 blocks: over two ridge periods). */
  normaliseRadius: 1,

  /** Side of the square blocks on which orientation, frequency, mask and quality are estimated. */
  blockSize: 8,
  /** Gaussian smoothing of the doubled-angle orientation vectors, in blocks. */
  orientationSmoothSigma: 1.2,
  orientationSmoothRadius: 3,

  /** A block is foreground when its gradient energy exceeds this fraction of the bright end (95th centile). */
  segmentEnergyRatio: 0.05,
  /** ...and its orientation coherence exceeds this. */
  segmentMinCoherence: 0.1,
  /** Foreground components smaller than this fraction of the largest one are dropped (smudges, dust). */
  segmentMinComponentRatio: 0.2,
  /** Blocks eroded from the mask edge, where ridges fade and fake endings appear. */
  segmentErodeBlocks: 0,
  /** Closing of the mask, in blocks: fills notches where a dry print's ridges break up. */
  segmentCloseBlocks: 1,

  /** Ridge-frequency window: samples across the ridges (length) and along them (width). */
  frequencyWindowLength: 32,
  frequencyWindowWidth: 12,
  /** Plausible ridge periods in pixels at 500 dpi; others are treated as failed estimates. */
  minPeriod: 5,
  maxPeriod: 15,
  /** Fallback period when a whole image gives no estimate (typical adult finger at 500 dpi). */
  defaultPeriod: 9,
  frequencySmoothRadius: 2,

  /** Orientations are quantised for the enhancement filters (table-driven, no trigonometry per pixel). */
  directionSteps: 24,
  /** Periods are quantised in this step for the across-ridge kernels. */
  periodStep: 0.5,
  /** Along-ridge Gaussian smoothing (the "parallel" part of the oriented Gabor filter). */
  alongSigma: 4.5,
  alongRadius: 8,
  alongStep: 2,
  /** Across-ridge Gabor envelope sigma as a fraction of the ridge period. */
  acrossSigmaRatio: 0.42,
  acrossRadiusSigmas: 1.4,
  acrossMaxRadius: 10,

  /**
   * Skeleton ends facing each other along the flow across a gap shorter than this (times the local
   * period) are joined before pruning: a dry print's broken ridge. Both tips, the gap and the field
   * must agree within joinMaxTurn radians. 2.5 / 0.5 took DB2_B (a) EER from 2.08 to 1.18%.
   */
  joinDistanceRatio: 2.5,
  joinMaxTurn: 0.5,

  /** Endpoints whose branch reaches a junction within this length are spurs and are pruned. */
  spurLength: 9,
  /** Ridges shorter than this between two endpoints are dust and are erased. */
  shortRidgeLength: 14,
  /** Skeleton pixels traced to estimate a minutia's direction. */
  traceLength: 10,
  /**
   * Minutia direction = orientation-field line (interpolated at the minutia) in the traced sense,
   * pulled this much towards the traced direction. The field alone beat the trace alone on FVC2002.
   */
  traceAngleWeight: 0,

  /** Loops of a ridge around a pore up to this many skeleton pixels a side are lakes (both junctions go). */
  lakeLength: 20,
  /** Junction-to-junction links across the flow up to this length are bridges (both junctions go). */
  bridgeLength: 9,
  /** Minutiae closer than this to background (mask) are dropped. */
  borderDistance: 12,
  /** Endings whose tip faces background closer than this are ridges cut by the mask edge. */
  borderTipDistance: 24,
  /** Two minutiae closer than this (any types) are a loop, a spur or noise: both go. */
  closePairDistance: 4,
  /** Facing endings closer than this (times the local period) are a broken ridge. */
  breakDistanceRatio: 1.8,
  /** A minutia with this many others within clusterRadius sits in a noisy patch: all of them go. */
  clusterRadius: 14,
  clusterCount: 3,
  /** Minutiae in blocks of lower quality than this (0..1) are dropped. */
  minBlockQuality: 0.05,

  /** RMS grey-level gradient (Sobel/4) at which ridge contrast counts as fully clear. */
  clearGradient: 14,
} as const;

export type Parameters = typeof PARAMS;

/** The extractor's constants as numbers (PARAMS with its literal types widened), for overrides. */
export type ExtractorParameters = { readonly [K in keyof typeof PARAMS]: number };

/**
 * The live views of a capture for finger.verify (live-views.ts): overrides of each extraction, the
 * first the extractor as it is (the capture's own template), the second with the orientation field
 * smoothed harder. Here, with the other constants, so the daemon can say how many without loading
 * the extractor.
 */
export const LIVE_VIEWS: readonly Partial<ExtractorParameters>[] = [{}, { orientationSmoothSigma: 1.6 }];
