/**
 * Card issuance for the simulator: lays a resident out in the files of profile v1 (§5, §9) and signs
 * the document with the issuer key (§8: ECDSA P-256, SHA-256, r || s). Card identities (UID, CSN, CC)
 * are seeded from the resident so a resident's card is the same card every run (except the ECDSA
 * signature, which node:crypto randomises).
 */
import { createPrivateKey, sign } from 'node:crypto';
import { encodeIso19794_2 } from '../../protocols/biometrics/iso19794-2.ts';
import { encodeBiodata } from '../../protocols/ektp/biodata.ts';
import { signedMessage } from '../../protocols/ektp/document-signature.ts';
import { frameFile } from '../../protocols/ektp/files.ts';
import type { CardFiles } from '../ektp/card-files.ts';
import { Rng } from './random.ts';
import type { Resident } from './resident.ts';

export interface IssuerKeys {
  issuerPrivateKeyPkcs8Pem: string;
}

/** EF.CC content: a version byte, the profile name and seeded chip data; 51 bytes for one card in four. */
export function cardControl(rng: Rng): Uint8Array {
  const long = rng.chance(0.25);
  const cc = rng.bytes(long ? 51 : 29);
  cc.set([0x01, 0x4b, 0x54, 0x50, 0x31]); // 01 "KTP1"
  return cc;
}

export function issueCard(resident: Resident, keys: IssuerKeys): CardFiles {
  const rng = new Rng(resident.seed).fork('card');
  const uid = rng.bytes(7);
  uid[0] = 0x04; // NXP manufacturer byte, as on most type A chips
  const csn = rng.bytes(8);
  const cc = cardControl(rng);
  const signed = {
    biodata: frameFile(encodeBiodata(resident.biodata)),
    photo: frameFile(resident.photo),
    signature: frameFile(resident.signatureImage),
    minutiae1: frameFile(encodeIso19794_2(resident.fingers[0])),
    minutiae2: frameFile(encodeIso19794_2(resident.fingers[1])),
  };
  const ds = sign('sha256', signedMessage(signed), {
    key: createPrivateKey(keys.issuerPrivateKeyPkcs8Pem),
    dsaEncoding: 'ieee-p1363',
  });
  return {
    uid,
    csn,
    files: {
      CC: frameFile(cc),
      BIODATA: signed.biodata,
      PHOTO: signed.photo,
      SIGNATURE: signed.signature,
      MINUTIAE1: signed.minutiae1,
      MINUTIAE2: signed.minutiae2,
      DS: frameFile(new Uint8Array(ds)),
    },
  };
}
