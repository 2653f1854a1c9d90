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

// --- Minutia Cylinder-Code (Cappelli, Ferrara & Maltoni, TPAMI 2010; mcc/) -------------------------

/**
 * Which score `compare()` returns: 'hough' is the edge-hash/Hough/pairing score above alone; 'fused'
 * adds the MCC local-structure score (mcc/, FUSION_* below). Kept so both can be measured side by side
 * (test/bench/match/mcc-fusion.ts); thresholds.ts is valid only for the mode it was measured with.
 */
export const SCORE_MODE = 'fused' as 'hough' | 'fused';

/**
 * The fused score is √(max(hough, FUSION_HOUGH_FLOOR) · mcc) (score.ts): with a floor of 0 a pair the
 * Hough stage could not align (no peak of PEAK_MIN_VOTES) scores 0 whatever MCC says; with this one
 * MCC can lift it to at most √0.05 ≈ 0.22. The single value tried (about the fused FMR-1% threshold).
 */
export const FUSION_HOUGH_FLOOR = 0.05;

/** Cylinder radius (px at 500 dpi) and cells: MCC_NS × MCC_NS spatial cells × MCC_ND directions. */
export const MCC_RADIUS = 70;
export const MCC_NS = 8;
export const MCC_ND = 6;
/** Spatial and directional spread of a neighbour's contribution (the paper's σS, σD). */
export const MCC_SIGMA_S = 28 / 3;
export const MCC_SIGMA_D = (2 * Math.PI) / 9;
/** A cell's bit is set when the summed contribution exceeds this (the paper's μΨ, bit-based variant). */
export const MCC_MU_PSI = 0.01;
/** The convex hull of the minutiae, grown by this many px, bounds where cells are valid (Ω). */
export const MCC_HULL_OFFSET = 50;
/** A cylinder is kept when at least this share of its disc cells is valid (minVC) ... */
export const MCC_MIN_VALID_CELLS = 0.75;
/** ... and at least this many other minutiae lie within R + 3σS of its centre (minM). */
export const MCC_MIN_NEIGHBOURS = 2;
/** Two cylinders are compared only when this share of the disc cells is valid in both (minME). */
export const MCC_MIN_MATCHABLE = 0.6;
/** ... and their minutiae directions differ by at most this (δθ). */
export const MCC_MAX_ROTATION = Math.PI / 2;

/**
 * Once the Hough stage has found the turn, cylinders are compared only when their minutiae agree in
 * direction within the global pairing's own tolerance: as accurate a test as the pairing's, and far
 * fewer cylinder pairs to compare than with the paper's 90°.
 */
export const MCC_ALIGNED_MAX_TURN = PAIR_ANGLE_TOLERANCE;

/** LSS-R consolidation: nP = MIN + round(Z(min(nA, nB); μP, τP) · (MAX − MIN)) pairs are averaged. */
export const MCC_MIN_PAIRS = 4;
export const MCC_MAX_PAIRS = 12;
export const MCC_PAIRS_MU = 20;
export const MCC_PAIRS_TAU = 2 / 5;
/** Relaxation rounds and the weight of a pair's own similarity in each (nrel, wR). */
export const MCC_RELAX_ROUNDS = 5;
export const MCC_RELAX_WEIGHT = 0.5;
/** Compatibility of two pairs: sigmoids of the differences in distance, direction and radial angle. */
export const MCC_RHO_DISTANCE_MU = 5;
export const MCC_RHO_DISTANCE_TAU = -8 / 5;
export const MCC_RHO_ANGLE_MU = Math.PI / 12;
export const MCC_RHO_ANGLE_TAU = -30;
