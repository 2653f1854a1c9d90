/**
 * The e-KTP read of profile v1 §10 as one sans-IO sequence. The driver in src/ sends each `transmit`
 * step to the card or SAM channel and passes the raw response (data || SW1 SW2) to next(); `progress`
 * steps get next(undefined). 61xx/6Cxx are handled inside. Errors are BridgeErrors (see steps.ts).
 *
 * Only what the requested fields need is read: the photo alone needs no SAM at all; the document
 * signature is checked only when all five signed files are read (anything less is 'not-checked').
 */
import { BridgeError } from '../errors.ts';
import { hex } from '../iso7816/bytes.ts';
import { type Biodata, decodeBiodata } from './biodata.ts';
import { CSN_LENGTH, cardGetChipSerial, cardGetUid, cardSelect } from './commands.ts';
import {
  beginDocumentVerification,
  feedDocumentHash,
  finishDocumentVerification,
} from './document-signature.ts';
import { readEf } from './file-read.ts';
import { DF_KTP, EF, isValidCcLength, unframeFile } from './files.ts';
import { mutualAuthenticate } from './mutual-auth.ts';
import { isNikConsistent } from './nik.ts';
import { cardStatusError, counted, progress, type Sequence, type Step, transmit } from './steps.ts';

export { openSam, probeSam, type SamProbe } from './sam-session.ts';
export type { Step } from './steps.ts';

export type ReadField = 'biodata' | 'photo' | 'signature' | 'fingers';

export interface ReadOptions {
  fields: readonly ReadField[];
}

export type DocumentSignatureStatus = 'valid' | 'invalid' | 'not-checked';

export interface EktpReadResult {
  /** ISO 14443-3 UID from the reader */
  uid: Uint8Array;
  /** GET CHIP SERIAL, hex */
  chipSerial: string;
  /** EF.CC content (29 or 51 bytes) */
  cc: Uint8Array;
  /** undefined when biodata was not asked for */
  biodata: Biodata | undefined;
  /** JPEG bytes (EF.PHOTO content) */
  photo?: Uint8Array;
  signature?: { bytes: Uint8Array; mediaType: 'image/png' | 'image/jpeg' | 'application/octet-stream' };
  /** raw ISO/IEC 19794-2 records as read (EF.MINUTIAE1, EF.MINUTIAE2); empty when fingers were not asked */
  minutiae: Array<{ record: Uint8Array }>;
  documentSignature: DocumentSignatureStatus;
  /** NIK structure agrees with birth date and gender; undefined when biodata was not read */
  nikConsistent: boolean | undefined;
  /** APDUs sent to card and SAM together, GET RESPONSE and re-sends included */
  apduCount: number;
}

export function imageMediaType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'application/octet-stream' {
  if (bytes.length >= 4 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return 'application/octet-stream';
}

function content(file: Uint8Array, name: string): Uint8Array {
  try {
    return unframeFile(file);
  } catch (e) {
    throw new BridgeError(
      'CARD_DATA_INVALID',
      `${name}: length prefix does not match`,
      { file: name },
      { cause: e },
    );
  }
}

/** Phases in §10 order; progress percent is spread over the phases this read really has. */
type Phase = 'card' | 'auth' | 'biodata' | 'photo' | 'signature' | 'fingers' | 'verify';

export function readEktp(opts: ReadOptions): Sequence<EktpReadResult> {
  const counter = { n: 0 };
  return (function* () {
    const result = yield* counted(readSteps(opts), counter);
    return { ...result, apduCount: counter.n };
  })();
}

function* readSteps(opts: ReadOptions): Sequence<Omit<EktpReadResult, 'apduCount'>> {
  const want = new Set(opts.fields);
  const full = want.has('biodata') && want.has('photo') && want.has('signature') && want.has('fingers');
  const needSession = want.has('biodata') || want.has('signature') || want.has('fingers');
  const phases: Phase[] = ['card'];
  if (needSession) phases.push('auth');
  for (const p of ['biodata', 'photo', 'signature', 'fingers'] as const) if (want.has(p)) phases.push(p);
  if (full) phases.push('verify');
  let done = 0;
  const step = (p: Phase): Step => ({
    kind: 'progress',
    step: p,
    percent: Math.round((100 * done++) / phases.length),
  });

  // 1. RF: identity and card control.
  yield step('card');
  const uidRes = yield* transmit('card', cardGetUid(), 'GET UID');
  if (uidRes.sw !== 0x9000) throw cardStatusError(uidRes.sw, 'GET UID');
  const csnRes = yield* transmit('card', cardGetChipSerial(), 'GET CHIP SERIAL');
  if (csnRes.sw !== 0x9000) throw cardStatusError(csnRes.sw, 'GET CHIP SERIAL');
  if (csnRes.data.length !== CSN_LENGTH) {
    throw new BridgeError('CARD_UNSUPPORTED', 'GET CHIP SERIAL did not return 8 bytes', {
      step: 'GET CHIP SERIAL',
    });
  }
  const selDf = yield* transmit('card', cardSelect(DF_KTP), 'SELECT DF');
  if (selDf.sw !== 0x9000) {
    // 6A 82 here: not a KTP-el (cardStatusError maps it to CARD_UNSUPPORTED).
    throw cardStatusError(selDf.sw, 'SELECT DF');
  }
  const cc = content(yield* readEf(EF.CC, 'clear'), 'EF.CC');
  if (!isValidCcLength(cc.length))
    throw new BridgeError('CARD_UNSUPPORTED', 'EF.CC is neither 29 nor 51 bytes');

  // 3. Mutual authentication, only when a protected file is wanted.
  if (needSession) {
    yield step('auth');
    yield* mutualAuthenticate(cc, csnRes.data);
  }

  // 4. Document signature first, so the SAM hashes the files as they come.
  if (full) {
    const ds = content(yield* readEf(EF.DS, 'protected'), 'EF.DS');
    yield* beginDocumentVerification(ds);
  }

  let biodataBytes: Uint8Array | undefined;
  let photo: Uint8Array | undefined;
  let signature: Uint8Array | undefined;
  const minutiae: Array<{ record: Uint8Array }> = [];

  // 5. Biodata.
  if (want.has('biodata')) {
    yield step('biodata');
    biodataBytes = content(yield* readEf(EF.BIODATA, 'protected'), 'EF.BIODATA');
  }
  // 6. Photo, clear; its complete file bytes go to the SAM's hash between BIODATA and SIGNATURE.
  if (want.has('photo')) {
    yield step('photo');
    const file = yield* readEf(EF.PHOTO, 'clear');
    photo = content(file, 'EF.PHOTO');
    if (full) yield* feedDocumentHash(file);
  }
  // 7. Signature image and both minutiae records.
  if (want.has('signature')) {
    yield step('signature');
    signature = content(yield* readEf(EF.SIGNATURE, 'protected'), 'EF.SIGNATURE');
  }
  if (want.has('fingers')) {
    yield step('fingers');
    minutiae.push({ record: content(yield* readEf(EF.MINUTIAE1, 'protected'), 'EF.MINUTIAE1') });
    minutiae.push({ record: content(yield* readEf(EF.MINUTIAE2, 'protected'), 'EF.MINUTIAE2') });
  }
  // 8. The SAM's verdict.
  let documentSignature: DocumentSignatureStatus = 'not-checked';
  if (full) {
    yield step('verify');
    documentSignature = yield* finishDocumentVerification();
  }
  yield* progress('done', 100);

  // Decoded last: the SAM's hashing has been closed whatever the biodata holds.
  const biodata = biodataBytes ? decodeBiodata(biodataBytes) : undefined;
  return {
    uid: uidRes.data,
    chipSerial: hex(csnRes.data),
    cc,
    biodata,
    ...(photo ? { photo } : {}),
    ...(signature ? { signature: { bytes: signature, mediaType: imageMediaType(signature) } } : {}),
    minutiae,
    documentSignature,
    nikConsistent: biodata
      ? isNikConsistent(biodata.nik, biodata.tanggalLahir, biodata.jenisKelamin === 'PEREMPUAN')
      : undefined,
  };
}
