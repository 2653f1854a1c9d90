/**
 * Types of API v1 (api-v1.md) as counter applications see them. This file is the TypeScript face of
 * docs/api/README.md; field sets may grow (the index signatures say so), names never change.
 * No runtime code and no Node imports: it is shared by browser and Node builds.
 */
import type { ErrorCode } from '../../protocols/errors.ts';

export type { ErrorCode };
export type RequestId = string | number | null;
export type CardField = 'biodata' | 'photo' | 'signature' | 'fingers';

/** A compact JWS (ES256) minted by the counter application's backend (api-v1.md "Authorisation"). */
export type Ticket = string;

export interface FingerSummary {
  /** ISO/IEC 19794-2 finger position (1 right thumb, 2 right index, 6 left thumb, 7 left index, ...) */
  position: number;
  minutiaeCount: number;
  quality: number;
}

export interface CardRecord {
  nik?: string;
  nama?: string;
  tempatLahir?: string;
  /** ISO date YYYY-MM-DD */
  tanggalLahir?: string;
  jenisKelamin?: string;
  golonganDarah?: string;
  alamat?: string;
  rt?: string;
  rw?: string;
  kelurahan?: string;
  kecamatan?: string;
  kabupaten?: string;
  provinsi?: string;
  agama?: string;
  statusPerkawinan?: string;
  pekerjaan?: string;
  kewarganegaraan?: string;
  berlakuHingga?: string;
  /** ISO date YYYY-MM-DD of issue; only when the card records one */
  tanggalTerbit?: string;
  /** JPEG, base64 */
  photo?: string;
  signatureImage?: { mediaType: string; data: string };
  /** summaries only; templates never leave the daemon */
  fingers?: FingerSummary[];
  chipSerial?: string;
  documentSignature?: 'valid' | 'invalid' | 'not-checked';
  /** whether the NIK structure agrees with birth date and gender */
  nikConsistent?: boolean;
  [field: string]: unknown;
}

export interface SystemInfo {
  version: string;
  /** the API's major version (protocols/api-version.ts); absent from daemons before it was added */
  apiVersion?: number;
  deviceId: string;
  /** the device's public key (JWK) that backends register to check receipts */
  devicePublicKey?: Record<string, unknown>;
  profiles?: string[];
  sensors?: Array<Record<string, unknown>>;
  /** how finger.verify decides (api-v1 "Verify policy") */
  verifyPolicy?: VerifyPolicyInfo;
  /** the signed galleries finger.identify can search */
  galleries?: Array<{ name: string; entries: number }>;
  [field: string]: unknown;
}

/** system.info's verifyPolicy (docs/api/README.md "system.info"). */
export interface VerifyPolicyInfo {
  /** false-match rate of one whole finger.verify call, all attempts and card fingers together */
  targetFmr: number;
  maxAttempts: number;
  maxAttemptsCap?: number;
  lockoutFailures: number;
  lockoutSeconds: number;
  minQuality?: number;
  minMinutiae?: number;
  /** how a call's attempts combine: 'best' (any single comparison against T_1) or 'sum' */
  combine?: 'best' | 'sum';
  /** the same choice, as named before combine was added: 'best-single-comparison' or 'sum-per-card-finger' */
  rule?: string;
  stageThresholds?: number[];
  /** date the impostor figures behind the thresholds were measured */
  tailsMeasured?: string;
  /** extractions of each live capture an attempt scores against each card finger (the best counts) */
  liveViews?: number;
  [field: string]: unknown;
}

/**
 * Why a finger.verify attempt did not match: operation.progress `reason` (step attempt-<n>:failed)
 * and `detail.reasons` of FINGER_NOT_MATCHED / POOR_QUALITY.
 */
export type AttemptReason = 'POOR_QUALITY' | 'TOO_FEW_MINUTIAE' | 'NOT_MATCHED';

export interface DeviceList {
  readers: Array<{ name: string; role: 'rf' | 'sam' | string; state: string; [k: string]: unknown }>;
  sensors: Array<{ id: string; driver: string; state: string; [k: string]: unknown }>;
  [field: string]: unknown;
}

export interface CardReadParams {
  fields?: CardField[];
  timeoutMs?: number;
  ticket?: Ticket;
}
export interface CardReadResult {
  card: CardRecord;
  /** compact JWS signed by the device key */
  receipt: string;
  [field: string]: unknown;
}

export interface FingerCaptureParams {
  sensorId?: string;
  timeoutMs?: number;
  preview?: boolean;
  ticket?: Ticket;
}
export interface FingerCaptureResult {
  /** PNG, base64 */
  image: string;
  width: number;
  height: number;
  dpi: number;
  quality: number;
  minutiaeCount: number;
  /** the sensor that took the image */
  sensorId: string;
  /** compact JWS signed by the device key; its `imageDigest` is SHA-256 of the PNG bytes */
  receipt: string;
  [field: string]: unknown;
}

export interface FingerVerifyParams {
  /** ISO finger positions; default both fingers on the card */
  fingers?: number[];
  maxAttempts?: number;
  timeoutMs?: number;
  sensorId?: string;
  /** finger.preview frames while each attempt captures */
  preview?: boolean;
  ticket?: Ticket;
}
export interface FingerVerifyResult {
  matched: boolean;
  finger: number;
  score: number;
  threshold: number;
  attempts: number;
  receipt: string;
  [field: string]: unknown;
}

export interface FingerIdentifyParams {
  gallery: string;
  topK?: number;
  timeoutMs?: number;
  sensorId?: string;
  ticket?: Ticket;
}
export interface FingerIdentifyResult {
  /** best first */
  candidates: Array<{ id: string; score: number }>;
  /** the per-comparison threshold (FMR 0.1 % for one comparison, docs/matching.md DEFAULT_THRESHOLD), not finger.verify's stage threshold */
  threshold: number;
  sensorId: string;
  /** compact JWS signed by the device key; its `candidatesDigest` covers `candidates` */
  receipt: string;
  [field: string]: unknown;
}

/** method name -> [params, result] */
export interface Methods {
  'system.info': [Record<string, never>, SystemInfo];
  'device.list': [Record<string, never>, DeviceList];
  'card.read': [CardReadParams, CardReadResult];
  'finger.capture': [FingerCaptureParams, FingerCaptureResult];
  'finger.verify': [FingerVerifyParams, FingerVerifyResult];
  'finger.identify': [FingerIdentifyParams, FingerIdentifyResult];
  'operation.cancel': [{ requestId: RequestId }, { cancelled: boolean }];
}
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = Methods[M][0];
export type ResultOf<M extends MethodName> = Methods[M][1];

export interface ProgressParams {
  requestId: RequestId;
  step: string;
  percent: number;
  /** finger.verify, step attempt-<n>:failed: why that attempt did not match */
  reason?: AttemptReason;
  /** finger.verify, step attempt-<n>:failed: the live image's quality (0-100) */
  quality?: number;
  /** finger.verify, step attempt-<n>:failed: minutiae found in the live image */
  minutiaeCount?: number;
}

/** notification name -> params (api-v1.md "Notifications") */
export interface Notifications {
  'reader.added': { name: string; role?: string; [k: string]: unknown };
  'reader.removed': { name: string; role?: string; [k: string]: unknown };
  'card.inserted': { reader?: string; [k: string]: unknown };
  'card.removed': { reader?: string; [k: string]: unknown };
  'sensor.added': { id: string; driver?: string; [k: string]: unknown };
  'sensor.removed': { id: string; driver?: string; [k: string]: unknown };
  'finger.placed': { sensorId?: string; [k: string]: unknown };
  'finger.removed': { sensorId?: string; [k: string]: unknown };
  /** small PNG (base64) while capturing */
  'finger.preview': { image: string; sensorId?: string; [k: string]: unknown };
  'operation.progress': ProgressParams;
}
export type NotificationName = keyof Notifications;
