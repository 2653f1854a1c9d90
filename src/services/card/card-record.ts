import { decodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { EktpReadResult } from '../../../protocols/ektp/read-sequence.ts';
import { isBridgeError } from '../../../protocols/errors.ts';
import type { CardField } from '../types.ts';

export interface FingerSummary {
  position: number;
  minutiaeCount: number;
  quality: number;
}

/**
 * The `card` object of api-v1.md from a read result, holding only the fields that were asked for
 * (and allowed). Templates never leave the daemon: `fingers` is a summary.
 */
export function toCardRecord(r: EktpReadResult, fields: readonly CardField[]): Record<string, unknown> {
  const card: Record<string, unknown> = {
    chipSerial: r.chipSerial,
    documentSignature: r.documentSignature,
  };
  if (fields.includes('biodata') && r.biodata) {
    const { tanggalTerbit, ...bio } = r.biodata;
    Object.assign(card, bio, { golonganDarah: bio.golonganDarah ?? '-' });
    if (tanggalTerbit) card.tanggalTerbit = tanggalTerbit;
    card.nikConsistent = r.nikConsistent;
  }
  if (fields.includes('photo') && r.photo) card.photo = Buffer.from(r.photo).toString('base64');
  if (fields.includes('signature') && r.signature) {
    card.signatureImage = {
      mediaType: r.signature.mediaType,
      data: Buffer.from(r.signature.bytes).toString('base64'),
    };
  }
  if (fields.includes('fingers')) card.fingers = r.minutiae.map((m) => fingerSummary(m.record));
  return card;
}

export function fingerSummary(record: Uint8Array): FingerSummary {
  try {
    const set = decodeIso19794_2(record);
    return { position: set.fingerPosition, minutiaeCount: set.minutiae.length, quality: set.quality };
  } catch (e) {
    if (isBridgeError(e)) return { position: 0, minutiaeCount: 0, quality: 0 };
    throw e;
  }
}
