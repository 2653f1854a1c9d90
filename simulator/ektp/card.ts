/**
 * A KTP-el card implementing profile v1 exactly (§3, §5, §6, §7, §11), behind the SimulatedDevice seam.
 * It reuses the host's codecs (protocols/iso7816, protocols/ektp), so both ends speak the same bytes;
 * the state that differs from the host's view (keys, session, selection) lives only here.
 */
import { randomBytes } from 'node:crypto';
import { deriveCardKeys, type KeyPair3Des } from '../../protocols/crypto/kdf.ts';
import { desSmCipher } from '../../protocols/crypto/sm-cipher.ts';
import {
  openCryptogram,
  openSession,
  type SmSession,
  sealCryptogram,
} from '../../protocols/ektp/auth-crypto.ts';
import {
  CARD_INS,
  CHALLENGE_LENGTH,
  CRYPTOGRAM_LENGTH,
  MAX_PROTECTED_READ,
} from '../../protocols/ektp/commands.ts';
import { DF_KTP, EF, type EfName, PROTECTED_EFS, unframeFile } from '../../protocols/ektp/files.ts';
import { type CommandApdu, decodeCommand, encodeResponse, statusOnly } from '../../protocols/iso7816/apdu.ts';
import { bytesEqual, concat } from '../../protocols/iso7816/bytes.ts';
import { SmError, unwrapCommand, wrapResponse } from '../../protocols/iso7816/secure-messaging.ts';
import { SW } from '../../protocols/iso7816/status-words.ts';
import { issueCard } from '../residents/issue-card.ts';
import type { Resident } from '../residents/resident.ts';
import type { CardFiles } from './card-files.ts';
import { contactlessAtr, type SimulatedDevice } from './device.ts';
import { testKeys } from './test-keys.ts';

export interface CardFaults {
  /** one byte of BIODATA changed after signing: the document signature must come out invalid */
  tamperedBiodata?: boolean;
  /** personalised under another master key than the SAM's: mutual authentication must fail */
  keyedFromOtherMasterKey?: boolean;
}

export interface SimulatedCardOptions {
  resident: Resident;
  masterKey: Uint8Array;
  faults?: CardFaults;
  random?: (n: number) => Uint8Array;
  /** pre-issued files (otherwise issued from `resident` with the test issuer key) */
  files?: CardFiles;
}

const OTHER_MASTER_KEY = new Uint8Array(32).fill(0x5a);

/** Changes one letter of the name (tag 81) so the TLV still parses but the signed bytes differ. */
export function tamperBiodataFile(file: Uint8Array): Uint8Array {
  const out = file.slice();
  for (let i = 2; i + 2 < out.length; ) {
    const tag = out[i];
    const len = out[i + 1];
    if (len >= 0x80) break;
    if (tag === 0x81 && len > 0) {
      out[i + 2] = out[i + 2] === 0x41 ? 0x45 : 0x41;
      return out;
    }
    i += 2 + len;
  }
  out[out.length - 1] ^= 0x01;
  return out;
}

export class SimulatedCard implements SimulatedDevice {
  readonly atr: Uint8Array = contactlessAtr();
  readonly files: CardFiles;
  private readonly keys: KeyPair3Des;
  private readonly random: (n: number) => Uint8Array;
  private readonly byFid = new Map<number, Uint8Array>();
  private dfSelected = false;
  private selected: number | undefined;
  private challenge: Uint8Array | undefined;
  private session: SmSession | undefined;

  constructor(opts: SimulatedCardOptions) {
    this.random = opts.random ?? ((n) => new Uint8Array(randomBytes(n)));
    const issued = opts.files ?? issueCard(opts.resident, testKeys());
    const files = { ...issued.files };
    if (opts.faults?.tamperedBiodata) files.BIODATA = tamperBiodataFile(files.BIODATA);
    this.files = { ...issued, files };
    for (const [name, bytes] of Object.entries(files)) this.byFid.set(EF[name as EfName], bytes);
    const mk = opts.faults?.keyedFromOtherMasterKey ? OTHER_MASTER_KEY : opts.masterKey;
    this.keys = deriveCardKeys(mk, issued.csn, unframeFile(files.CC));
  }

  powerOn(): void {
    this.clearState();
  }

  reset(): void {
    this.clearState();
  }

  /** True while a secure-messaging session is open (tests of §11). */
  get inSession(): boolean {
    return this.session !== undefined;
  }

  private clearState(): void {
    this.dfSelected = false;
    this.selected = undefined;
    this.challenge = undefined;
    this.session = undefined;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    let cmd: ReturnType<typeof decodeCommand>;
    try {
      cmd = decodeCommand(apdu);
    } catch {
      return statusOnly(SW.WRONG_LENGTH);
    }
    if (cmd.cla === 0xff && cmd.ins === CARD_INS.GET_UID) {
      return cmd.p1 === 0 && cmd.p2 === 0 ? encodeResponse(this.files.uid, SW.OK) : statusOnly(SW.WRONG_P1P2);
    }
    if (cmd.extended) return statusOnly(SW.WRONG_LENGTH); // short APDUs only (§11)
    if (cmd.cla === 0x0c) return this.protectedCommand(apdu);
    if (cmd.cla !== 0x00) return statusOnly(SW.CLA_NOT_SUPPORTED);
    const r = this.execute(cmd, false);
    return encodeResponse(r.data, r.sw);
  }

  private protectedCommand(apdu: Uint8Array): Uint8Array {
    if (!this.session) return statusOnly(SW.SM_DATA_INCORRECT);
    const cipher = desSmCipher(this.session.keys.kEnc, this.session.keys.kMac);
    let inner: CommandApdu;
    let ssc: bigint;
    try {
      ({ command: inner, ssc } = unwrapCommand(cipher, this.session.ssc, apdu));
    } catch (e) {
      if (!(e instanceof SmError)) throw e;
      this.session = undefined; // a bad MAC or layout ends the session (§3, §11)
      return statusOnly(SW.SM_DATA_INCORRECT);
    }
    // Errors inside secure messaging come back wrapped and the session goes on (§11).
    const r = this.execute(inner, true);
    const wrapped = wrapResponse(cipher, ssc, r.data, r.sw);
    this.session.ssc = wrapped.ssc;
    return wrapped.response;
  }

  private execute(cmd: CommandApdu, secure: boolean): { data: Uint8Array; sw: number } {
    const none = new Uint8Array(0);
    const sw = (s: number) => ({ data: none, sw: s });
    switch (cmd.ins) {
      case CARD_INS.GET_CHIP_SERIAL:
        if (cmd.ne !== 8 && cmd.ne !== 256) return sw(SW.WRONG_LENGTH);
        return { data: this.files.csn, sw: SW.OK };
      case CARD_INS.SELECT:
        return sw(this.select(cmd));
      case CARD_INS.READ_BINARY:
        return this.readBinary(cmd, secure);
      case CARD_INS.GET_CHALLENGE:
        if (secure) return sw(SW.CONDITIONS_NOT_SATISFIED);
        if (cmd.ne !== CHALLENGE_LENGTH) return sw(SW.WRONG_LENGTH);
        this.challenge = this.random(CHALLENGE_LENGTH);
        return { data: this.challenge, sw: SW.OK };
      case CARD_INS.EXTERNAL_AUTHENTICATE:
        if (secure) return sw(SW.CONDITIONS_NOT_SATISFIED);
        return this.externalAuthenticate(cmd);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  private select(cmd: CommandApdu): number {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return SW.WRONG_P1P2;
    if (cmd.data?.length !== 2) return SW.WRONG_LENGTH;
    const fid = (cmd.data[0] << 8) | cmd.data[1];
    if (fid === DF_KTP) {
      this.dfSelected = true;
      this.selected = undefined;
      return SW.OK;
    }
    if (!this.dfSelected || !this.byFid.has(fid)) return SW.FILE_NOT_FOUND;
    this.selected = fid;
    return SW.OK;
  }

  private readBinary(cmd: CommandApdu, secure: boolean): { data: Uint8Array; sw: number } {
    const none = new Uint8Array(0);
    if (cmd.p1 & 0x80) return { data: none, sw: SW.WRONG_P1P2 }; // no short EF identifiers
    if (cmd.ne === undefined) return { data: none, sw: SW.WRONG_LENGTH };
    if (this.selected === undefined) return { data: none, sw: SW.CONDITIONS_NOT_SATISFIED };
    if (PROTECTED_EFS.has(this.selected) && !secure) return { data: none, sw: SW.SECURITY_NOT_SATISFIED };
    const file = this.byFid.get(this.selected)!;
    const offset = (cmd.p1 << 8) | cmd.p2;
    if (offset >= file.length) return { data: none, sw: SW.WRONG_P1P2_OFFSET };
    if (secure) {
      const reachesEnd = offset + cmd.ne >= file.length;
      if (cmd.ne > MAX_PROTECTED_READ || (cmd.ne % 8 !== 0 && !reachesEnd))
        return { data: none, sw: SW.WRONG_LENGTH };
    }
    const data = file.slice(offset, offset + cmd.ne);
    return { data, sw: data.length < cmd.ne ? SW.END_OF_FILE : SW.OK };
  }

  private externalAuthenticate(cmd: CommandApdu): { data: Uint8Array; sw: number } {
    const none = new Uint8Array(0);
    // Any EXTERNAL AUTHENTICATE ends the session, and a challenge is good for one attempt (§6, §11).
    this.session = undefined;
    const rndIc = this.challenge;
    this.challenge = undefined;
    if (!rndIc) return { data: none, sw: SW.CONDITIONS_NOT_SATISFIED };
    if (!cmd.data || cmd.data.length !== CRYPTOGRAM_LENGTH) return { data: none, sw: SW.WRONG_LENGTH };
    const s = openCryptogram(this.keys, cmd.data);
    if (!s || !bytesEqual(s.subarray(8, 16), rndIc)) return { data: none, sw: SW.AUTH_FAILED };
    const rndIfd = s.slice(0, 8);
    const kIfd = s.slice(16, 32);
    const kIc = this.random(16);
    const answer = sealCryptogram(this.keys, concat(rndIc, rndIfd, kIc));
    this.session = openSession(kIfd, kIc, rndIc, rndIfd);
    return { data: answer, sw: SW.OK };
  }
}
