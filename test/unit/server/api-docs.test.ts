import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EktpReadResult } from '../../../protocols/ektp/read-sequence.ts';
import { ERROR_CODES, ERRORS } from '../../../protocols/errors.ts';
import { makeResident } from '../../../simulator/residents/resident.ts';
import { TICKET_REFUSALS } from '../../../src/security/tickets.ts';
import { createMethodRegistry } from '../../../src/server/methods/index.ts';
import { toCardRecord } from '../../../src/services/card/card-record.ts';
import { FakeServices } from './helpers.ts';

// The API docs are part of the contract: every method and every error code must be documented.
const root = path.resolve(import.meta.dirname, '../../..');
const readme = readFileSync(path.join(root, 'docs/api/README.md'), 'utf8');
const asyncapi = readFileSync(path.join(root, 'docs/api/asyncapi.yaml'), 'utf8');
const methods = createMethodRegistry(new FakeServices()).names();
const NOTIFICATIONS = [
  'reader.added',
  'reader.removed',
  'card.inserted',
  'card.removed',
  'sensor.added',
  'sensor.removed',
  'finger.placed',
  'finger.removed',
  'finger.preview',
  'operation.progress',
];

describe('docs/api', () => {
  it.each(methods)('documents method %s in README.md and asyncapi.yaml', (m) => {
    expect(readme).toContain(`### \`${m}\``);
    expect(asyncapi).toContain(`name: ${m}\n`);
  });

  it.each(NOTIFICATIONS)('documents notification %s', (n) => {
    expect(readme).toContain(`\`${n}\``);
    expect(asyncapi).toMatch(new RegExp(`name: ${n.replace('.', '\\.')}\\n`));
  });

  it.each(ERROR_CODES)('documents error %s with its code and both messages', (code) => {
    const e = ERRORS[code];
    expect(readme).toContain(`| \`${code}\` | ${e.rpc} | ${e.id} | ${e.en} |`);
    expect(asyncapi).toContain(code);
  });

  it.each(TICKET_REFUSALS)('documents the TICKET_INVALID detail.reason %s', (reason) => {
    expect(readme).toContain(`\`${reason}\``);
    expect(asyncapi.slice(asyncapi.indexOf('    TicketRefusal:'))).toMatch(
      new RegExp(`enum: \\[[^\\]]*\\b${reason}\\b`),
    );
  });

  // every member of result.card is covered by cardDigest: a counter app that forwards only the
  // documented ones breaks the digest, so each one a full read can return is documented
  const r = makeResident(7);
  const full = toCardRecord(
    {
      chipSerial: '04A1B2C3D4E5F6',
      biodata: r.biodata,
      nikConsistent: true,
      photo: r.photo,
      signature: { bytes: r.signatureImage, mediaType: 'image/png' },
      minutiae: [],
      documentSignature: 'valid',
    } as unknown as EktpReadResult,
    ['biodata', 'photo', 'signature', 'fingers'],
  );
  const cardTable = readme.slice(readme.indexOf('### `card.read`'), readme.indexOf('### `finger.capture`'));
  const cardSchema = asyncapi.slice(asyncapi.indexOf('    Card:'), asyncapi.indexOf('    ReceiptClaims:'));
  it.each(Object.keys(full))('documents card field %s in README.md and asyncapi.yaml', (field) => {
    expect(cardTable).toMatch(new RegExp(`^\\|[^\\n]*\`${field}\``, 'm'));
    expect(cardSchema).toContain(`        ${field}:`);
  });

  it('the asyncapi file declares its version for tools', () => {
    expect(asyncapi.startsWith('asyncapi: 2.6.0')).toBe(true);
  });
});
