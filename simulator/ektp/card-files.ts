/** What a personalised KTP-el holds (profile v1 §3, §5): its identities and the framed EF contents. */
import type { EfName } from '../../protocols/ektp/files.ts';

export interface CardFiles {
  /** ISO 14443-3 UID, 4, 7 or 10 bytes (GET UID) */
  uid: Uint8Array;
  /** chip serial number, 8 bytes (GET CHIP SERIAL) */
  csn: Uint8Array;
  /** every EF of DF 7F0A as stored: 2-byte length then content */
  files: Record<EfName, Uint8Array>;
}
