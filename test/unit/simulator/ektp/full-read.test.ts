/**
 * The profile sequence of protocols/ektp against the simulated card and SAM, in process: the host
 * side and the simulator only meet through APDU bytes, so this checks both against the profile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeIso19794_2 } from '../../../../protocols/biometrics/iso19794-2.ts';
import { openSamBlock } from '../../../../protocols/ektp/commands.ts';
import { openSam, type ReadField, readEktp } from '../../../../protocols/ektp/read-sequence.ts';
import { isBridgeError } from '../../../../protocols/errors.ts';
import { decodeCommand } from '../../../../protocols/iso7816/apdu.ts';
import { hex } from '../../../../protocols/iso7816/bytes.ts';
import { SimulatedCard } from '../../../../simulator/ektp/card.ts';
import { type InProcessTrace, runInProcess } from '../../../../simulator/ektp/run-in-process.ts';
import { SimulatedSam } from '../../../../simulator/ektp/sam.ts';
import { testKeys } from '../../../../simulator/ektp/test-keys.ts';
import { issueCard } from '../../../../simulator/residents/issue-card.ts';
import { makeResidents, type Resident } from '../../../../simulator/residents/resident.ts';

const keys = testKeys();
const ALL: ReadField[] = ['biodata', 'photo', 'signature', 'fingers'];

function openedSam(): SimulatedSam {
  const sam = new SimulatedSam({ ...keys, issuerPublicKeySpkiPem: keys.issuerPublicKeySpkiPem });
  sam.powerOn();
  runInProcess(openSam(openSamBlock(keys.pcid, keys.conf)), { sam });
  return sam;
}

function cardFor(resident: Resident, faults = {}): SimulatedCard {
  const card = new SimulatedCard({ resident, masterKey: keys.masterKey, faults });
  card.powerOn();
  return card;
}

let residents: Resident[];
beforeAll(() => {
  residents = makeResidents(5, 1000);
});

describe('full read (§10) of several residents', () => {
  it('reads everything, decodes biodata and templates, and the SAM finds the signature valid', () => {
    const sam = openedSam();
    for (const resident of residents) {
      const card = cardFor(resident);
      const result = runInProcess(readEktp({ fields: ALL }), { card, sam });
      expect(result.documentSignature).toBe('valid');
      expect(result.biodata).toEqual(resident.biodata);
      expect(result.nikConsistent).toBe(true);
      expect(hex(result.photo!)).toBe(hex(resident.photo));
      expect(result.signature?.mediaType).toBe('image/png');
      expect(hex(result.signature!.bytes)).toBe(hex(resident.signatureImage));
      expect(result.minutiae).toHaveLength(2);
      expect(decodeIso19794_2(result.minutiae[0].record).fingerPosition).toBe(2);
      expect(decodeIso19794_2(result.minutiae[1].record).fingerPosition).toBe(7);
      expect(result.chipSerial).toBe(hex(card.files.csn));
      expect(hex(result.uid)).toBe(hex(card.files.uid));
      expect([29, 51]).toContain(result.cc.length);
      expect(sam.hashingMode).toBe(false); // VERIFY STOP closed it
    }
  });

  it('follows §10 order, keeps protected chunks within E0 and multiples of 8, and reports the APDU count', () => {
    const sam = openedSam();
    const resident = residents[0];
    const card = cardFor(resident);
    const trace: InProcessTrace = { steps: [], responses: [] };
    const result = runInProcess(readEktp({ fields: ALL }), { card, sam }, trace);
    const transmits = trace.steps.filter((s) => s.kind === 'transmit');
    expect(result.apduCount).toBe(transmits.length);
    const labels = transmits.map((s) => s.label);
    const firstIndex = (l: string) => labels.indexOf(l);
    const order = [
      'GET UID',
      'GET CHIP SERIAL',
      'SELECT DF',
      'SELECT EF.CC',
      'READ BINARY EF.CC',
      'GET CHALLENGE',
      'CALC CHALLENGE',
      'EXTERNAL AUTHENTICATE',
      'INTERNAL AUTH',
      'SELECT EF.DS',
      'VERIFY START',
      'VERIFY SIGNATURE',
      'SELECT EF.BIODATA',
      'SELECT EF.PHOTO',
      'VERIFY FEED',
      'SELECT EF.SIGNATURE',
      'SELECT EF.MINUTIAE1',
      'SELECT EF.MINUTIAE2',
      'VERIFY DOCUMENT',
      'VERIFY STOP',
    ];
    const positions = order.map(firstIndex);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Protected READ BINARY: Le in DO97 at most E0, multiple of 8 unless the chunk ends the file.
    for (const s of transmits) {
      if (s.kind !== 'transmit' || s.target !== 'card' || s.apdu[0] !== 0x0c || s.apdu[1] !== 0xb0) continue;
      const body = decodeCommand(s.apdu).data!;
      expect(body[0]).toBe(0x97);
      expect(body[2] === 0 ? 256 : body[2]).toBeLessThanOrEqual(0xe0);
    }
    // Clear photo reads are plain 00 B0 with Le up to 256.
    const photoReads = transmits.filter((s) => s.kind === 'transmit' && s.label === 'READ BINARY EF.PHOTO');
    expect(photoReads.every((s) => s.kind === 'transmit' && s.apdu[0] === 0x00)).toBe(true);
    const photoFile = card.files.files.PHOTO.length;
    expect(photoReads.length).toBe(Math.ceil(photoFile / 256));
    console.log(
      `full read: ${result.apduCount} APDUs (photo file ${photoFile} B, ` +
        `${labels.filter((l) => l.startsWith('READ BINARY')).length} card reads)`,
    );
  });
});

describe('faults', () => {
  it('tampered BIODATA: the read completes and the document signature is invalid', () => {
    const sam = openedSam();
    const card = cardFor(residents[1], { tamperedBiodata: true });
    const result = runInProcess(readEktp({ fields: ALL }), { card, sam });
    expect(result.documentSignature).toBe('invalid');
    expect(result.biodata?.nama).not.toBe(residents[1].biodata.nama);
  });

  it('a card keyed from another master key fails with CARD_AUTH_FAILED', () => {
    const sam = openedSam();
    const card = cardFor(residents[2], { keyedFromOtherMasterKey: true });
    let err: unknown;
    try {
      runInProcess(readEktp({ fields: ALL }), { card, sam });
    } catch (e) {
      err = e;
    }
    expect(isBridgeError(err, 'CARD_AUTH_FAILED')).toBe(true);
  });

  it('a SAM that is not open gives NO_SAM with samOpen=false, never SAM_AUTH_FAILED', () => {
    const sam = new SimulatedSam({ ...keys });
    sam.powerOn();
    const card = cardFor(residents[0]);
    let err: unknown;
    try {
      runInProcess(readEktp({ fields: ['biodata'] }), { card, sam });
    } catch (e) {
      err = e;
    }
    expect(isBridgeError(err, 'NO_SAM')).toBe(true);
    expect((err as { detail: Record<string, unknown> }).detail.samOpen).toBe(false);
  });

  it('pre-issued files can be handed to the card (issueCard is the same issuance)', () => {
    const sam = openedSam();
    const files = issueCard(residents[3], keys);
    const card = new SimulatedCard({ resident: residents[3], masterKey: keys.masterKey, files });
    card.powerOn();
    expect(runInProcess(readEktp({ fields: ALL }), { card, sam }).documentSignature).toBe('valid');
  });
});

describe('partial reads', () => {
  it.each([
    [['biodata'] as ReadField[]],
    [['biodata', 'photo'] as ReadField[]],
    [['biodata', 'photo', 'signature'] as ReadField[]],
    [['photo', 'signature', 'fingers'] as ReadField[]],
  ])('%j is not-checked, never valid', (fields) => {
    const sam = openedSam();
    const card = cardFor(residents[4]);
    const result = runInProcess(readEktp({ fields }), { card, sam });
    expect(result.documentSignature).toBe('not-checked');
    expect(result.biodata !== undefined).toBe(fields.includes('biodata'));
    expect(result.photo !== undefined).toBe(fields.includes('photo'));
    expect(result.signature !== undefined).toBe(fields.includes('signature'));
    expect(result.minutiae.length).toBe(fields.includes('fingers') ? 2 : 0);
    expect(result.nikConsistent).toBe(fields.includes('biodata') ? true : undefined);
  });

  it('fingers only (repeat verification): no photo, no signature, no VERIFY, no EF.DS', () => {
    const sam = openedSam();
    const card = cardFor(residents[4]);
    const trace: InProcessTrace = { steps: [], responses: [] };
    const result = runInProcess(readEktp({ fields: ['fingers'] }), { card, sam }, trace);
    const labels = trace.steps.flatMap((s) => (s.kind === 'transmit' ? [s.label] : []));
    expect(labels.some((l) => /PHOTO|SIGNATURE|BIODATA|EF\.DS|VERIFY/.test(l))).toBe(false);
    expect(result.minutiae.map((m) => hex(m.record))).toHaveLength(2);
    expect(result.documentSignature).toBe('not-checked');
    console.log(`fingers-only read: ${result.apduCount} APDUs`);
  });

  it('photo only needs no SAM at all', () => {
    const card = cardFor(residents[0]);
    const result = runInProcess(readEktp({ fields: ['photo'] }), { card });
    expect(hex(result.photo!)).toBe(hex(residents[0].photo));
  });
});
