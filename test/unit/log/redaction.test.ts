import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { createLogger, REDACTED_KEYS, REDACTION, redactDeep } from '../../../src/log/index.ts';

/** A logger whose output is collected synchronously as text lines. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  return { logger, text: () => lines.join('\n'), lines };
}

// Values that cannot appear in a log by accident.
const SECRET = 'S3KR1T-3171234567890123';

describe('log redaction', () => {
  it('drops the value of every listed key at top level', () => {
    const { logger, text } = capture();
    const record = Object.fromEntries(REDACTED_KEYS.map((k, i) => [k, `${SECRET}-${i}`]));
    logger.info(record, 'card read');
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).nik).toBe(REDACTION);
    expect(JSON.parse(text()).msg).toBe('card read');
  });

  it('drops them at any nesting depth, in arrays and whatever the case of the key', () => {
    const { logger, text } = capture();
    logger.info({
      result: { card: { nik: SECRET } },
      a: { b: { c: { d: { e: [{ f: { NAMA: SECRET, Alamat: SECRET, tanggalLahir: SECRET } }] } } } },
      fingers: [{ position: 2, template: SECRET, minutiae: [{ x: 1, y: 2 }] }],
      sam: { pcidHex: SECRET, confHex: SECRET },
      params: { ticket: SECRET, photo: SECRET, signatureImage: SECRET, templates: [SECRET] },
      keep: { reader: 'ACS ACR1281', percent: 40 },
    });
    const out = text();
    expect(out).not.toContain(SECRET);
    expect(out).toContain('ACS ACR1281');
    expect(JSON.parse(out).keep.percent).toBe(40);
  });

  it('redacts child bindings, errors with details, Maps and byte arrays', () => {
    const { logger, text } = capture();
    const child = logger.child({ session: { nik: SECRET } });
    const err = new BridgeError('CARD_DATA_INVALID', 'bad field', { field: 'tanggalLahir', nama: SECRET });
    child.error({ err, extra: new Map([['nik', SECRET]]), bytes: Buffer.from(SECRET) }, 'failed');
    const out = text();
    expect(out).not.toContain(SECRET);
    expect(out).toContain('CARD_DATA_INVALID');
    expect(out).toContain('bad field');
    const rec = JSON.parse(out);
    expect(rec.bytes).toBe(`[${SECRET.length} bytes]`);
    expect(rec.err.type).toBe('BridgeError');
    expect(rec.err.detail.field).toBe('tanggalLahir');
  });

  it('masks a NIK inside any text, the message and error stacks included', () => {
    const { logger, text } = capture();
    const nik = '3171234567890123';
    logger.error(
      { err: new TypeError(`cannot parse ${nik}`), note: `for ${nik}.`, byNik: { [nik]: 1 } },
      `failed for ${nik}`,
    );
    const out = text();
    expect(out).not.toContain(nik);
    expect(JSON.parse(out).msg).toBe('failed for [nik]');
    // longer and shorter digit runs are not NIKs (timestamps, serials) and stay
    logger.info({ serial: '12345678901234567', code: '123456789012345' }, 'x');
    expect(text()).toContain('12345678901234567');
    expect(text()).toContain('123456789012345');
  });

  it('survives cycles without hiding siblings', () => {
    const a: Record<string, unknown> = { ok: 1 };
    a.self = a;
    a.nik = SECRET;
    const out = redactDeep(a) as Record<string, unknown>;
    expect(out.self).toBe('[circular]');
    expect(out.ok).toBe(1);
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });

  it('property: a listed key anywhere in a random record never leaks its value', () => {
    const key = fc.constantFrom(...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => k.toUpperCase()));
    const plainKey = fc
      .string({ minLength: 1, maxLength: 8 })
      .filter((k) => !REDACTED_KEYS.some((r) => r.toLowerCase() === k.toLowerCase()));
    // A random path of objects and arrays ending in a redacted key holding the marker.
    const pathStep = fc.oneof(
      plainKey.map((k) => ({ kind: 'obj' as const, k })),
      fc.constant({ kind: 'arr' as const, k: '' }),
    );
    fc.assert(
      fc.property(fc.array(pathStep, { maxLength: 10 }), key, fc.jsonValue(), (path, leafKey, noise) => {
        let node: unknown = { [leafKey]: { value: SECRET, inner: [SECRET] } };
        for (const step of path.reverse())
          node = step.kind === 'arr' ? [noise, node] : { [step.k]: node, noise };
        const { logger, text } = capture();
        logger.info(node as object, 'x');
        logger.child(node as Record<string, unknown>).warn('y');
        return !text().includes(SECRET);
      }),
      { numRuns: 300 },
    );
  });
});
