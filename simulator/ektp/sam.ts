/**
 * A SAM implementing profile v1 exactly (§4, §6, §7, §8, §11): OPEN SAM with three tries, mutual
 * authentication on the host's behalf, ENCRYPT/DECRYPT in strict alternation, and document-signature
 * hashing. Tries and the blocked state survive power cycles; everything else is lost, as on a real SAM.
 */
import { createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
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
  CSN_LENGTH,
  OPEN_SAM_BLOCK_LENGTH,
  openSamBlock,
  SAM_INS,
  VERIFY_P1,
} from '../../protocols/ektp/commands.ts';
import { DOCUMENT_SIGNATURE_LENGTH } from '../../protocols/ektp/document-signature.ts';
import { type CommandApdu, decodeCommand, encodeResponse, statusOnly } from '../../protocols/iso7816/apdu.ts';
import { bytesEqual, concat } from '../../protocols/iso7816/bytes.ts';
import { SmError, unwrapResponse, wrapCommand } from '../../protocols/iso7816/secure-messaging.ts';
import { SW } from '../../protocols/iso7816/status-words.ts';
import { type SimulatedDevice, samAtr } from './device.ts';

export interface SimulatedSamOptions {
  masterKey: Uint8Array;
  pcid: Uint8Array;
  conf: Uint8Array;
  issuerPublicKeySpkiPem: string;
  uid?: Uint8Array;
  blocked?: boolean;
  triesLeft?: number;
  random?: (n: number) => Uint8Array;
  /** socket (1 or 2) this SAM sits in, for the reader's socket-select escape (§1); default 1 */
  socket?: 1 | 2;
}

const MAX_TRIES = 3;

interface PendingChallenge {
  keys: KeyPair3Des;
  rndIc: Uint8Array;
  rndIfd: Uint8Array;
  kIfd: Uint8Array;
}

type Reply = { data?: Uint8Array; sw: number };

export class SimulatedSam implements SimulatedDevice {
  readonly atr: Uint8Array = samAtr();
  readonly uid: Uint8Array;
  private readonly masterKey: Uint8Array;
  private readonly expectedBlock: Uint8Array;
  private readonly issuerKey: KeyObject;
  private readonly random: (n: number) => Uint8Array;
  private readonly socket: 1 | 2;
  private tries: number;
  private isBlocked: boolean;
  private open = false;
  private pending: PendingChallenge | undefined;
  private session: SmSession | undefined;
  /** INS of the command ENCRYPT protected last, while its DECRYPT is due */
  private awaitingDecrypt: number | undefined;
  private hashing: { parts: Uint8Array[]; signature?: Uint8Array } | undefined;

  constructor(opts: SimulatedSamOptions) {
    this.masterKey = opts.masterKey.slice();
    this.expectedBlock = openSamBlock(opts.pcid, opts.conf);
    this.issuerKey = createPublicKey(opts.issuerPublicKeySpkiPem);
    this.random = opts.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.uid = opts.uid ?? Uint8Array.of(0x53, 0x41, 0x4d, 0x00, 0x00, 0x00, 0x00, 0x01);
    this.tries = opts.triesLeft ?? MAX_TRIES;
    this.isBlocked = opts.blocked ?? this.tries <= 0;
    this.socket = opts.socket ?? 1;
  }

  get triesLeft(): number {
    return this.tries;
  }
  get blocked(): boolean {
    return this.isBlocked;
  }
  /** True after a successful OPEN SAM and until a power cycle, reset or wrong block. */
  get isOpen(): boolean {
    return this.open;
  }
  /** True while hashing mode is on (tests of §11). */
  get hashingMode(): boolean {
    return this.hashing !== undefined;
  }

  powerOn(): void {
    this.close();
  }
  reset(): void {
    this.close();
  }

  private close(): void {
    this.open = false;
    this.dropSession();
    this.hashing = undefined;
  }

  private dropSession(): void {
    this.pending = undefined;
    this.session = undefined;
    this.awaitingDecrypt = undefined;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    // The reader's socket-select escape is answered by the reader, whatever the SAM's state.
    if (apdu.length === 8 && apdu[0] === 0x68 && apdu[1] === 0x92 && apdu[2] === 0x01 && apdu[4] === 0x03) {
      return statusOnly(apdu[5] === this.socket ? SW.OK : SW.FILE_NOT_FOUND);
    }
    if (this.isBlocked) return statusOnly(SW.AUTH_METHOD_BLOCKED);
    let cmd: CommandApdu;
    try {
      cmd = decodeCommand(apdu);
    } catch {
      return statusOnly(SW.WRONG_LENGTH);
    }
    if (cmd.cla !== 0x00) return statusOnly(SW.CLA_NOT_SUPPORTED);
    const r = this.execute(cmd);
    return encodeResponse(r.data ?? new Uint8Array(0), r.sw);
  }

  private execute(cmd: CommandApdu): Reply {
    if (cmd.ins === SAM_INS.GET_SAM_UID) return { data: this.uid, sw: SW.OK };
    if (cmd.ins === SAM_INS.OPEN_SAM) return this.openSam(cmd);
    const known = (Object.values(SAM_INS) as number[]).includes(cmd.ins);
    if (!known) return { sw: SW.INS_NOT_SUPPORTED };
    // §11 "VERIFY STOP always answers 90 00": even on a closed SAM (only a blocked one says 69 83).
    if (cmd.ins === SAM_INS.VERIFY && cmd.p1 === VERIFY_P1.STOP) {
      this.hashing = undefined;
      return { sw: SW.OK };
    }
    if (!this.open) return { sw: SW.CONDITIONS_NOT_SATISFIED };
    switch (cmd.ins) {
      case SAM_INS.RESET_SAM:
        this.dropSession();
        this.hashing = undefined;
        return { sw: SW.OK };
      case SAM_INS.CALC_CHALLENGE:
        return this.calcChallenge(cmd);
      case SAM_INS.INTERNAL_AUTH:
        return this.internalAuth(cmd);
      case SAM_INS.ENCRYPT:
        return this.encrypt(cmd);
      case SAM_INS.DECRYPT:
        return this.decrypt(cmd);
      default:
        return this.verifyFamily(cmd);
    }
  }

  private openSam(cmd: CommandApdu): Reply {
    if (!cmd.data || cmd.data.length !== OPEN_SAM_BLOCK_LENGTH) return { sw: SW.WRONG_LENGTH };
    if (bytesEqual(cmd.data, this.expectedBlock)) {
      this.open = true;
      this.tries = MAX_TRIES;
      return { sw: SW.OK };
    }
    // A wrong block costs a try even on an open SAM, and closes it (§11).
    this.close();
    this.tries = Math.max(0, this.tries - 1);
    if (this.tries === 0) this.isBlocked = true;
    return { sw: 0x63c0 | this.tries };
  }

  private calcChallenge(cmd: CommandApdu): Reply {
    this.dropSession(); // CALC CHALLENGE drops the current session (§11)
    if (cmd.p1 !== 0 || (cmd.p2 !== 0 && cmd.p2 !== 1)) return { sw: SW.WRONG_P1P2 };
    const ccLength = cmd.p2 === 1 ? 51 : 29;
    const data = cmd.data ?? new Uint8Array(0);
    if (data.length !== ccLength + CSN_LENGTH + CHALLENGE_LENGTH) return { sw: SW.WRONG_LENGTH };
    const cc = data.subarray(0, ccLength);
    const csn = data.subarray(ccLength, ccLength + CSN_LENGTH);
    const rndIc = data.slice(ccLength + CSN_LENGTH);
    const keys = deriveCardKeys(this.masterKey, csn, cc);
    const rndIfd = this.random(8);
    const kIfd = this.random(16);
    this.pending = { keys, rndIc, rndIfd, kIfd };
    return { data: sealCryptogram(keys, concat(rndIfd, rndIc, kIfd)), sw: SW.OK };
  }

  private internalAuth(cmd: CommandApdu): Reply {
    const p = this.pending;
    this.pending = undefined; // used up whatever the outcome (§11)
    if (!p) return { sw: SW.CONDITIONS_NOT_SATISFIED };
    const r = cmd.data ? openCryptogram(p.keys, cmd.data) : undefined;
    if (!r || !bytesEqual(r.subarray(0, 8), p.rndIc) || !bytesEqual(r.subarray(8, 16), p.rndIfd)) {
      return { sw: SW.AUTH_FAILED };
    }
    this.session = openSession(p.kIfd, r.slice(16, 32), p.rndIc, p.rndIfd);
    this.awaitingDecrypt = undefined;
    return { sw: SW.OK };
  }

  private encrypt(cmd: CommandApdu): Reply {
    if (!this.session || this.awaitingDecrypt !== undefined) return { sw: SW.CONDITIONS_NOT_SATISFIED };
    let plain: CommandApdu;
    try {
      plain = decodeCommand(cmd.data ?? new Uint8Array(0));
    } catch {
      return { sw: SW.WRONG_DATA };
    }
    const cipher = desSmCipher(this.session.keys.kEnc, this.session.keys.kMac);
    const w = wrapCommand(cipher, this.session.ssc, plain);
    this.session.ssc = w.ssc;
    this.awaitingDecrypt = plain.ins;
    return { data: w.apdu, sw: SW.OK };
  }

  private decrypt(cmd: CommandApdu): Reply {
    if (!this.session || this.awaitingDecrypt === undefined) return { sw: SW.CONDITIONS_NOT_SATISFIED };
    const ins = this.awaitingDecrypt;
    const cipher = desSmCipher(this.session.keys.kEnc, this.session.keys.kMac);
    try {
      const r = unwrapResponse(cipher, this.session.ssc, cmd.data ?? new Uint8Array(0));
      this.session.ssc = r.ssc;
      this.awaitingDecrypt = undefined;
      // Only READ BINARY responses are hashed, never SELECT responses (§8, §11).
      if (this.hashing && ins === CARD_INS.READ_BINARY && r.data.length > 0) this.hashing.parts.push(r.data);
      return { data: concat(r.data, Uint8Array.of(r.sw >> 8, r.sw & 0xff)), sw: SW.OK };
    } catch (e) {
      if (!(e instanceof SmError)) throw e;
      this.dropSession(); // a bad MAC or malformed object ends the session (§7)
      return { sw: SW.SM_DATA_INCORRECT };
    }
  }

  private verifyFamily(cmd: CommandApdu): Reply {
    switch (cmd.p1) {
      case VERIFY_P1.START:
        this.hashing = { parts: [] };
        return { sw: SW.OK };
      case VERIFY_P1.STOP:
        this.hashing = undefined;
        return { sw: SW.OK };
      case VERIFY_P1.FEED:
        if (!this.hashing) return { sw: SW.CONDITIONS_NOT_SATISFIED };
        if (cmd.data) this.hashing.parts.push(cmd.data);
        return { sw: SW.OK };
      case VERIFY_P1.SIGNATURE:
        if (!this.hashing) return { sw: SW.CONDITIONS_NOT_SATISFIED };
        if (!cmd.data || cmd.data.length !== DOCUMENT_SIGNATURE_LENGTH) return { sw: SW.WRONG_LENGTH };
        this.hashing.signature = cmd.data;
        return { sw: SW.OK };
      case VERIFY_P1.DOCUMENT: {
        // Before VERIFY SIGNATURE: 69 85 and hashing mode stays on (§11).
        if (!this.hashing?.signature) return { sw: SW.CONDITIONS_NOT_SATISFIED };
        const ok = verify(
          'sha256',
          concat(...this.hashing.parts),
          { key: this.issuerKey, dsaEncoding: 'ieee-p1363' },
          this.hashing.signature,
        );
        return { sw: ok ? SW.OK : SW.AUTH_FAILED };
      }
      default:
        return { sw: SW.WRONG_P1P2 };
    }
  }
}
