/**
 * Transparency hook (as SourceAFIS's): the pipeline hands a named snapshot to this sink after each
 * stage. The default does nothing; dev scripts pass one that writes images. Snapshots hold biometric
 * data: never send them to a log.
 */
export type ExtractionStage =
  | 'resampled'
  | 'normalised'
  | 'orientation'
  | 'mask'
  | 'frequency'
  | 'enhanced'
  | 'binarised'
  | 'thinned'
  | 'pruned'
  | 'detected'
  | 'filtered';

export type ExtractionDebugSink = (stage: ExtractionStage, snapshot: unknown) => void;

export const NO_DEBUG: ExtractionDebugSink = () => {};
