/**
 * The validated configuration, with every default filled in. It mirrors config.schema.json (the
 * published contract); change both together — test/unit/config checks that defaults validate.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** A backend public key: a JWK object or a PEM string (SPKI). */
export type TicketKey = string | ({ kty: string } & Record<string, unknown>);

export interface SensorConfig {
  driver: string;
  [option: string]: unknown;
}

export interface ConnectionLimits {
  maxTotal: number;
  maxPerOrigin: number;
  maxQueuedBytes: number;
  maxQueuedMessages: number;
  maxInFlight: number;
  maxOperations: number;
  maxBatch: number;
  idleTimeoutMs: number;
  handshakeTimeoutMs: number;
}

export interface Config {
  port: number;
  hosts: Array<'127.0.0.1' | '::1'>;
  readers: { rf?: string; sam?: string; samSocket?: 1 | 2 };
  sam: { secretsFile?: string };
  security: {
    allowedOrigins: string[];
    allowSelfOrigin: boolean;
    requireTickets: boolean;
    ticketKeys: TicketKey[];
    maxMessageBytes: number;
  };
  /** bounds on WebSocket clients (docs/security.md "Connection limits") */
  connections: ConnectionLimits;
  sensors: SensorConfig[];
  dataDir: string;
  logLevel: LogLevel;
  /** present only when the simulator replaces the hardware */
  simulate?: Record<string, unknown>;
  match: { threads: number; maxQueue: number };
  verify: {
    defaultMaxAttempts: number;
    targetFmr: number;
    /** how a call's attempts combine (docs/matching.md "Verify policy") */
    combine: 'best' | 'sum';
    /** impostor-tails file to take the thresholds from (eval --tails-out); absent: the shipped one */
    impostorTails?: string;
    lockoutFailures: number;
    lockoutSeconds: number;
  };
  finger: { minQuality: number; minMinutiae: number };
  card: { idleWipeMs: number };
  audit: { rotateBytes: number; rotateDays: number; checkpointEvery: number };
  /** finger.identify galleries (docs/gallery.md) */
  gallery: { keys: TicketKey[]; maxEntries: number; maxFileBytes: number };
}

export const DEFAULT_CONFIG_PATH = '/etc/ektp-bridge/config.json';
export const ENV_PREFIX = 'EKTP_BRIDGE_';
