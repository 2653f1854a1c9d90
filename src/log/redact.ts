/**
 * Personal data never reaches a log line (architecture.md, security stance). pino's own `redact`
 * only knows fixed paths (`a.b`, `*.b`), and a card record can sit at any depth (`{result: {card:
 * {nama}}}`), so every record is walked here and the value of any key in this list is replaced,
 * whatever its nesting. Keys are compared case-insensitively.
 */
export const REDACTED_KEYS: readonly string[] = [
  // e-KTP record (ektp-card-profile.md / api-v1.md `card`)
  'card',
  'nik',
  'nama',
  'name',
  'tempatLahir',
  'tanggalLahir',
  'jenisKelamin',
  'golonganDarah',
  'alamat',
  'rt',
  'rw',
  'kelurahan',
  'kecamatan',
  'kabupaten',
  'agama',
  'statusPerkawinan',
  'pekerjaan',
  'kewarganegaraan',
  'berlakuHingga',
  'tanggalTerbit',
  'chipSerial',
  'photo',
  'signatureImage',
  // biometrics
  'template',
  'templates',
  'minutiae',
  'image',
  'images',
  'preview',
  'pixels',
  // a set of templates under this key is biometric data; a gallery's name (admin-chosen, not
  // personal) is logged as `galleryName` (gallery-store.ts)
  'gallery',
  // secrets and credentials
  'pcid',
  'pcidHex',
  'conf',
  'confHex',
  'ticket',
  'receipt',
  'privateKey',
  'secret',
  'password',
  'authorization',
  'cookie',
];

export const REDACTION = '[redacted]';

const KEYS = new Set(REDACTED_KEYS.map((k) => k.toLowerCase()));
// Deeper than any record we log; beyond it the value is dropped rather than walked (and maybe leaked).
const MAX_DEPTH = 12;

export function isRedactedKey(key: string): boolean {
  return KEYS.has(key.toLowerCase());
}

/** A copy of `value` with every redacted key's value replaced; the input is not modified. */
export function redactDeep(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

// A NIK is 16 digits. Keys cannot catch one that travels inside text (an exception message, a log
// message someone interpolated), so any run of exactly 16 digits in any string is masked too.
const NIK_IN_TEXT = /(?<!\d)\d{16}(?!\d)/g;
export const NIK_MASK = '[nik]';

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return value.replace(NIK_IN_TEXT, NIK_MASK);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  // Raw bytes in a log are images, templates or APDUs carrying personal data: never print them.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    if (value instanceof Map) return walk(Object.fromEntries(value), depth, seen);
    // Errors stay Errors so pino's err serializer still sees them; what it produces (detail, cause)
    // is walked again on the serialised line (RedactingStream in logger.ts).
    if (value instanceof Error) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // keys too: a record keyed by NIK is still a NIK in the log
      out[k.replace(NIK_IN_TEXT, NIK_MASK)] = isRedactedKey(k) ? REDACTION : walk(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
