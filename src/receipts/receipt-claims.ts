/**
 * What a service knows when it finishes a card.read, finger.verify or finger.capture (api-v1.md
 * "Receipts", docs/receipts-and-tickets.md). Claims with no value are left out, never sent empty.
 */
export interface ReceiptInput {
  op: 'card.read' | 'finger.verify' | 'finger.capture' | 'finger.identify';
  /** the ticket's nonce, when the request carried a ticket */
  nonce?: string;
  /** the connection's Origin */
  origin: string;
  /** only when biodata was read (absent, not empty, otherwise) */
  nik?: string;
  /** card.read and finger.verify */
  chipSerial?: string;
  documentSignature?: 'valid' | 'invalid' | 'not-checked';
  /**
   * card.read: cardDigestOf(result.card) of this read. finger.verify: the cardDigest of the
   * card.read whose templates were compared, when that read returned a card record.
   */
  cardDigest?: string;
  /** finger.verify: templatesDigestOf(the ISO 19794-2 records compared against) */
  templatesDigest?: string;
  /** finger.capture: sha256Digest(the PNG bytes of result.image) */
  imageDigest?: string;
  /** finger.identify: the gallery searched, and which version of it (SHA-256 of its compact JWS as ASCII, without the whitespace around it in the file) */
  gallery?: string;
  galleryDigest?: string;
  /** finger.identify: sha256Digest(RFC 8785 canonical JSON of result.candidates) */
  candidatesDigest?: string;
  /** finger.verify only */
  matched?: boolean;
  finger?: number;
  score?: number;
  threshold?: number;
  /** finger.verify and finger.capture: the sensor id, its driver, model and (when known) serial */
  sensor?: string;
  sensorDriver?: string;
  sensorModel?: string;
  sensorSerial?: string;
  /** the daemon's version (package version) */
  daemonVersion?: string;
}

/** The signed claims: the input plus what the signer adds. */
export interface ReceiptClaims extends ReceiptInput {
  /** the device id (RFC 7638 thumbprint of the device key) */
  iss: string;
  /** seconds since the epoch */
  iat: number;
  /** receiptHash() of the device's previous receipt, or RECEIPT_GENESIS for the first */
  prev: string;
}

/*
 * The digests a receipt binds, and `prev`'s hash and genesis, are those of packages/verifier: one
 * implementation of docs/receipts-and-tickets.md for the daemon that signs and the backends that
 * check (the test vectors, and an independent Python implementation in the test command, keep it
 * true to the document). The names below are the daemon's.
 */
export {
  /** `cardDigest`: over the RFC 8785 canonical JSON of `result.card` exactly as sent */
  cardDigest as cardDigestOf,
  /** `prev` of a device's first receipt: base64url of 32 zero bytes */
  RECEIPT_GENESIS,
  /** what the next receipt's `prev` holds */
  receiptHash,
  /** base64url(SHA-256(bytes, or a string's UTF-8)): the one digest form receipts use */
  sha256Base64url as sha256Digest,
  /** `templatesDigest`: over the ISO/IEC 19794-2 records compared against, in the card's order */
  templatesDigest as templatesDigestOf,
} from '../../packages/verifier/src/digests.ts';
