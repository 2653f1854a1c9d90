/**
 * Every tuning constant of the matcher, in one place (SourceAFIS keeps its Parameters.java the same way).
 * Distances are pixels at 500 dpi (templates are rescaled first), angles are radians.
 * The values were tuned on the FVC2002 "B" sets (docs/matching.md); change them together with the
 * thresholds in thresholds.ts, which are only valid for the scores these values produce.
 */
const DEG = Math.PI / 180;

/** Templates are rescaled to this resolution before anything else. */
export const TARGET_DPI = 500;

/** Most minutiae a template may carry (ISO/IEC 19794-2 stores the count in one byte). */
export const MAX_MINUTIAE = 255;

// --- local structure: directed edges from each minutia to its neighbours -------------------------

/** Edges shorter than this are dropped: their direction is dominated by extraction noise. */
export const EDGE_MIN_LENGTH = 10;
/** Edges longer than this are dropped: elastic distortion grows with length. */
export const EDGE_MAX_LENGTH = 125;
/**
 * The probe links each minutia to at most this many nearest neighbours (bounds the cost for dense
 * extractors); a candidate scans only the links to its EDGE_CANDIDATE_NEIGHBOURS nearest (edges.ts).
 */
export const EDGE_MAX_NEIGHBOURS = 6;
export const EDGE_CANDIDATE_NEIGHBOURS = 5;

// --- edge hash: probe edges indexed by quantised (length, direction, relative angle) -------------

/** Bin widths of the edge hash; each probe edge goes into the two nearest bins of each dimension. */
export const HASH_LENGTH_STEP = 10;
export const HASH_ANGLE_STEP = 22.5 * DEG;

/** Two edges are similar when length and both angles agree within these tolerances. */
export const EDGE_LENGTH_TOLERANCE_ABS = 6;
export const EDGE_LENGTH_TOLERANCE_REL = 0.08;
export const EDGE_ANGLE_TOLERANCE = 15 * DEG;

// --- Hough stage: each pair of similar edges votes for the rigid transform that maps one onto the other

/** Rotation bins of the accumulator (64 = 5.6° each). Must divide 256. */
export const HOUGH_ROTATION_BINS = 64;
/** Translation bin width: where the candidate's centroid lands in the probe frame. */
export const HOUGH_SHIFT_STEP = 14;
/** How far outside the probe's bounding box a candidate centroid may land and still be counted. */
export const HOUGH_MARGIN = 300;
/** Number of accumulator peaks (distinct alignments) tried by the global stage. */
export const PEAK_COUNT = 2;
/** A peak needs at least this many votes in its 3x3x3 neighbourhood. */
export const PEAK_MIN_VOTES = 4;

// --- global stage: pair minutiae one-to-one under each candidate alignment ------------------------

/**
 * The best alignment is re-fitted by least squares only when it paired at least this many minutiae:
 * below that the score is far under any threshold and the re-fit would be wasted on an impostor.
 */
export const REFIT_MIN_PAIRS = 5;

/** Global pairing tolerance: grows with the distance from the anchor to absorb elastic distortion. */
export const PAIR_DISTANCE_TOLERANCE_ABS = 8;
export const PAIR_DISTANCE_TOLERANCE_REL = 0.07;
export const PAIR_DISTANCE_TOLERANCE_MAX = 28;
export const PAIR_ANGLE_TOLERANCE = 30 * DEG;

// --- elastic re-pairing (elastic.ts): predict each minutia from its paired neighbours' residuals ---

/**
 * Re-pair elastically only when the rigid pairing found at least this many pairs: fewer is far
 * under any threshold (impostors stay cheap). 0 switches elastic re-pairing off, to measure without.
 */
export const ELASTIC_MIN_PAIRS: number = 5;
/**
 * ... and only when the rigid score reached this, about half the lowest threshold (thresholds.ts):
 * the elastic weight rarely lifts a score by more than (1.4)², so no comparison that could cross a
 * threshold is skipped. Measured against no gate: the same FNMR at FMR 1 % and 0.1 % on FVC2002
 * and the hard mix; only DB3_B's EER in mode (b), where the EER threshold is lowest, is 0.48
 * points better without it. It keeps impostors cheap for 1:N: on the hard mix 26 % of impostor
 * comparisons re-pair, against 67 % with no gate (48 % at 0.05).
 */
export const ELASTIC_MIN_SCORE = 0.08;
/**
 * ... and not when the rigid score already reached this: far above every threshold and above the
 * verify policy's first-stage threshold, so re-pairing could change no decision, only cost time
 * (genuine comparisons re-pair at 2-3 times the cost of the rigid stage; a 1:N search compares its
 * shortlisted near-mates fully).
 */
export const ELASTIC_MAX_SCORE = 0.5;
/** Prediction-and-pairing rounds (each predicts from the pairs of the round before). */
export const ELASTIC_ROUNDS = 2;
/**
 * A pair at distance d from the minutia weighs 1 / (1 + (d / radius)²)² in its prediction (half
 * weight at 0.64 radius): plastic distortion varies over a finger's width, not between neighbours.
 */
export const ELASTIC_KERNEL_RADIUS = 100;
/**
 * Weight of the rigid position (zero residual) in each prediction, against a pair's weight of 1 at
 * distance 0: with little evidence around a minutia its prediction stays near the rigid position.
 */
export const ELASTIC_PRIOR_WEIGHT = 0.3;
/**
 * How the neighbours' residuals predict a minutia: 'affine' fits offset and slope (a local affine
 * map, weighted least squares: moving least squares, the cheap kin of Bazen & Gerez's thin-plate
 * spline), so a turn of the outer skin is extrapolated beyond the last pair; 'shift' averages the
 * residuals only (no extrapolation). Both measured in docs/matching.md; affine kept.
 */
export const ELASTIC_MODEL: 'affine' | 'shift' = 'affine';
/**
 * Ridge on the affine slopes, in units of ELASTIC_KERNEL_RADIUS²: the slopes shrink towards 0 (no
 * deformation) unless pairs spread over a good part of the radius support them.
 */
export const ELASTIC_SLOPE_PRIOR = 0.3;

/** Cell size of the spatial grid used to find pairing partners. */
export const GRID_CELL = 28;

// --- score ---------------------------------------------------------------------------------------

/**
 * Each pair counts 1 - RESIDUAL_WEIGHT * (distance / tolerance)² towards the score: pairs that land
 * exactly count fully, pairs at the edge of the tolerance (typical of chance pairs) count less.
 */
export const RESIDUAL_WEIGHT = 0.5;

/**
 * Minutia reliability from the extractor's quality (1..100; 0 = not reported, as in most vendor
 * templates, counts fully): min(1, quality / QUALITY_FULL), at least QUALITY_MIN_WEIGHT. A pair
 * counts sqrt(rP·rC) of its residual weight and each overlap minutia counts its reliability, so
 * minutiae from smudged or dry areas (often broken ridges, not real endings) neither punish a
 * genuine pair when they find no mate nor lift an impostor when they find a chance one. Quality
 * at or above QUALITY_FULL everywhere changes nothing; a print that is poor all over scores lower
 * (its weighted overlap counts fall under OVERLAP_FLOOR), as a poor print should.
 */
export const QUALITY_FULL = 25;
export const QUALITY_MIN_WEIGHT = 0.4;

/** Cell size of the coarse footprint (where a template has minutiae) used to estimate the overlap. */
export const FOOTPRINT_CELL = 16;
/** A footprint cell counts as covered within this distance of a minutia. */
export const FOOTPRINT_RADIUS = 40;
/** Fewer minutiae than this in the overlap are treated as this many: tiny overlaps cannot score high. */
export const OVERLAP_FLOOR = 12;
/**
 * More minutiae than this in the overlap count as this many: dense extractors add spurious minutiae
 * that cannot pair, and a genuine pair must not be punished for them (MCC's consolidation saturates
 * the number of pairs it averages for the same reason). Scores above 1 are clipped.
 */
export const OVERLAP_CAP = 20;
/** Beyond OVERLAP_CAP each further minutia counts this much (0 = hard cap, 1 = no cap). */
export const OVERLAP_SLOPE = 0.7;
