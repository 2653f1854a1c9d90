/** Impostor-tails files the configuration names (verify.impostorTails): read, checked, or refused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type BridgeError, isBridgeError } from '../../../../protocols/errors.ts';
import { listImpressions } from '../../../../src/biometrics/eval/protocol.ts';
import {
  impostorSums,
  TailCollector,
  tailKeep,
  tailsOf,
} from '../../../../src/biometrics/verify-policy/impostor-tails.ts';
import {
  configuredImpostorTails,
  loadImpostorTails,
  parseImpostorTails,
  readImpostorTailsFile,
} from '../../../../src/biometrics/verify-policy/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ektp-tails-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};
const good = () => ({
  about: 'test',
  measured: '2026-01-02',
  modes: {
    images: {
      sequences: 50_000,
      sums: [
        [0.3, 0.2, 0.1],
        [0.5, 0.4],
      ],
    },
  },
});

describe('impostor-tails files', () => {
  it('accepts the shipped file and one of the same shape', () => {
    expect(parseImpostorTails(JSON.parse(JSON.stringify(loadImpostorTails())))).toEqual(loadImpostorTails());
    expect(readImpostorTailsFile(write('good.json', good()))).toEqual(good());
  });

  it('refuses each kind of bad file with what is wrong', () => {
    const bad: [unknown, RegExp][] = [
      ['[]', /not an object/],
      [{ ...good(), about: 1 }, /"about"/],
      [{ ...good(), measured: '' }, /"measured"/],
      [{ ...good(), modes: {} }, /lists no mode/],
      [{ ...good(), modes: { images: { sequences: 0, sums: [[0.1]] } } }, /"sequences"/],
      [{ ...good(), modes: { images: { sequences: 1.5, sums: [[0.1]] } } }, /"sequences"/],
      [{ ...good(), modes: { images: { sequences: 10, sums: [] } } }, /sums of 1 to 10/],
      [{ ...good(), modes: { images: { sequences: 10, sums: Array(11).fill([0.1]) } } }, /sums of 1 to 10/],
      [{ ...good(), modes: { images: { sequences: 10, sums: [[]] } } }, /empty/],
      [{ ...good(), modes: { images: { sequences: 1, sums: [[0.2, 0.1]] } } }, /more values than sequences/],
      [{ ...good(), modes: { images: { sequences: 10, sums: [[0.2, 'x']] } } }, /not a score sum/],
      [{ ...good(), modes: { images: { sequences: 10, sums: [[0.2, -1]] } } }, /not a score sum/],
      [{ ...good(), modes: { images: { sequences: 10, sums: [[0.1, 0.2]] } } }, /descending/],
    ];
    bad.forEach(([value, why], i) => {
      const file = write(`bad-${i}.json`, value);
      expect(() => readImpostorTailsFile(file)).toThrow(why);
    });
    expect(() => readImpostorTailsFile(write('not-json.json', '{'))).toThrow(/not JSON/);
    expect(() => readImpostorTailsFile(path.join(dir, 'absent.json'))).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('config: no key is the shipped tails; a bad or too small file is INVALID_PARAMS naming the key', () => {
    expect(configuredImpostorTails({ targetFmr: 0.001 })).toBe(loadImpostorTails());
    const file = write('config-good.json', good());
    expect(configuredImpostorTails({ impostorTails: file, targetFmr: 0.001 })).toEqual(good());
    const refused = (impostorTails: string | undefined, why: RegExp, targetFmr = 0.001) => {
      const key = impostorTails === undefined ? 'verify.targetFmr' : 'verify.impostorTails';
      try {
        configuredImpostorTails({ impostorTails, targetFmr });
        throw new Error('accepted');
      } catch (e) {
        expect(isBridgeError(e, 'INVALID_PARAMS')).toBe(true);
        expect((e as BridgeError).detail).toEqual({ key });
        expect((e as Error).message).toMatch(new RegExp(`^config key "${key.replace('.', '\\.')}": `));
        expect((e as Error).message).toMatch(why);
      }
    };
    refused(path.join(dir, 'absent.json'), /ENOENT/);
    // 1,999 sequences cannot vouch for 0.001 per call with two card fingers: 2,000 can
    const small = { ...good(), modes: { images: { sequences: 1999, sums: [[0.3]] } } };
    refused(write('small.json', small), /1999 impostor sequences are too few .*at least 2000/);
    const enough = { ...good(), modes: { images: { sequences: 2000, sums: [[0.3]] } } };
    expect(
      configuredImpostorTails({ impostorTails: write('enough.json', enough), targetFmr: 0.001 }),
    ).toEqual(enough);
    // the shipped tails answer to the same check: 23,040 sequences cannot vouch for 0.00005 per call
    refused(
      undefined,
      /shipped impostor tails' 23040 impostor sequences are too few .*at least 40000/,
      0.00005,
    );
  });
});

describe('TailCollector', () => {
  it('keeps the same tails as every sum sorted (impostorSums + tailsOf), whatever the scores', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (fingers, impressions, kMax, seed) => {
          const names = Array.from({ length: fingers }, (_, f) =>
            Array.from({ length: impressions }, (_, i) => `${f + 1}_${i + 1}.tif`),
          ).flat();
          const list = listImpressions(names, 'tif');
          const score = (a: { id: string }, b: { id: string }) => {
            let h = seed;
            for (const c of `${a.id}:${b.id}`) h = Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0;
            return (h % 10_000) / 100_000;
          };
          const expected = tailsOf(impostorSums(list, score, kMax));
          const sequences = fingers * impressions * (fingers - 1) * impressions;
          const collector = new TailCollector(kMax, sequences);
          for (const card of list)
            for (let f = 1; f <= fingers; f++) {
              if (String(f) === card.finger) continue;
              collector.addRotations(list.filter((l) => l.finger === String(f)).map((l) => score(l, card)));
            }
          expect(collector.tails()).toEqual(expected);
        },
      ),
    );
  });

  it('keeps more sums for larger measurements (per-stage rates up to 0.1%), and refuses a miscount', () => {
    expect(tailKeep(23_040)).toBe(256);
    expect(tailKeep(1_000_000)).toBe(1001);
    const c = new TailCollector(2, 3);
    c.addRotations([0.1, 0.2]);
    expect(() => c.tails()).toThrow(/2 impostor sequences added, 3 announced/);
  });
});
