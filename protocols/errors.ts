/**
 * Lives in protocols/ because it is the lowest layer: protocols, drivers, simulator and src all import it.
 *
 * The one error vocabulary of ektp-bridge (api-v1.md "Errors"). Services throw BridgeError with one of
 * these codes; the server maps it to a JSON-RPC error with `data.reason`; the CLI prints the code on
 * stderr and exits non-zero. Codes are stable: add new ones, never rename.
 */
export const ERRORS = {
  NO_READER: { rpc: -32001, id: 'Pembaca e-KTP tidak ditemukan', en: 'No e-KTP reader found' },
  NO_SAM: { rpc: -32002, id: 'SAM tidak ditemukan', en: 'No SAM found' },
  SAM_LOCKED: { rpc: -32003, id: 'SAM terblokir', en: 'The SAM is blocked' },
  SAM_AUTH_FAILED: {
    rpc: -32004,
    id: 'Autentikasi SAM gagal (PCID/CONF salah)',
    en: 'SAM authentication failed (wrong PCID/CONF)',
  },
  NO_CARD: { rpc: -32005, id: 'Tidak ada kartu di pembaca', en: 'No card on the reader' },
  CARD_REMOVED: {
    rpc: -32006,
    id: 'Kartu diangkat saat dibaca',
    en: 'The card was removed during the operation',
  },
  CARD_AUTH_FAILED: { rpc: -32007, id: 'Autentikasi kartu gagal', en: 'Card authentication failed' },
  CARD_UNSUPPORTED: { rpc: -32008, id: 'Kartu tidak didukung', en: 'Card not supported' },
  CARD_DATA_INVALID: { rpc: -32009, id: 'Data kartu tidak valid', en: 'Card data is invalid' },
  NO_SENSOR: { rpc: -32010, id: 'Pemindai sidik jari tidak ditemukan', en: 'No fingerprint sensor found' },
  SENSOR_REMOVED: {
    rpc: -32011,
    id: 'Pemindai sidik jari terlepas',
    en: 'The fingerprint sensor was removed',
  },
  CAPTURE_TIMEOUT: { rpc: -32012, id: 'Waktu menunggu jari habis', en: 'Timed out waiting for a finger' },
  POOR_QUALITY: { rpc: -32013, id: 'Kualitas sidik jari buruk', en: 'Fingerprint quality too poor' },
  FINGER_NOT_MATCHED: { rpc: -32014, id: 'Sidik jari tidak cocok', en: 'Fingerprint does not match' },
  BUSY: { rpc: -32015, id: 'Perangkat sedang sibuk', en: 'The device is busy' },
  CANCELLED: { rpc: -32016, id: 'Operasi dibatalkan', en: 'The operation was cancelled' },
  TICKET_REQUIRED: {
    rpc: -32017,
    id: 'Tiket otorisasi diperlukan',
    en: 'An authorisation ticket is required',
  },
  TICKET_INVALID: {
    rpc: -32018,
    id: 'Tiket otorisasi tidak valid',
    en: 'The authorisation ticket is invalid',
  },
  ORIGIN_FORBIDDEN: { rpc: -32019, id: 'Origin tidak diizinkan', en: 'Origin not allowed' },
  TIMEOUT: { rpc: -32020, id: 'Waktu operasi habis', en: 'The operation timed out' },
  RECEIPT_INVALID: { rpc: -32021, id: 'Tanda terima tidak valid', en: 'The receipt is invalid' },
  TOO_MANY_ATTEMPTS: {
    rpc: -32022,
    id: 'Terlalu banyak percobaan verifikasi gagal untuk kartu ini; coba lagi nanti',
    en: 'Too many failed verifications for this card; try again later',
  },
  INVALID_PARAMS: { rpc: -32602, id: 'Parameter tidak valid', en: 'Invalid parameters' },
  // JSON-RPC 2.0 protocol errors, so that every error on the wire carries a data.reason
  PARSE_ERROR: { rpc: -32700, id: 'Pesan bukan JSON yang valid', en: 'Parse error' },
  INVALID_REQUEST: { rpc: -32600, id: 'Permintaan JSON-RPC tidak valid', en: 'Invalid Request' },
  METHOD_NOT_FOUND: { rpc: -32601, id: 'Metode tidak dikenal', en: 'Method not found' },
  INTERNAL: { rpc: -32603, id: 'Kesalahan internal', en: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export class BridgeError extends Error {
  readonly code: ErrorCode;
  /** Extra, non-personal detail for the client (never NIK, names, images or templates). */
  readonly detail?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message?: string,
    detail?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message ?? ERRORS[code].en, options);
    this.name = 'BridgeError';
    this.code = code;
    this.detail = detail;
  }
}

export function isBridgeError(e: unknown, code?: ErrorCode): e is BridgeError {
  return e instanceof BridgeError && (code === undefined || e.code === code);
}

/**
 * Lives in protocols/ because it is the lowest layer: protocols, drivers, simulator and src all import it.
 * Anything thrown becomes a BridgeError; unknown failures are INTERNAL (their text stays in the log). */
export function toBridgeError(e: unknown): BridgeError {
  if (e instanceof BridgeError) return e;
  return new BridgeError('INTERNAL', undefined, undefined, { cause: e });
}

export function errorMessages(code: ErrorCode): { id: string; en: string } {
  return { id: ERRORS[code].id, en: ERRORS[code].en };
}
