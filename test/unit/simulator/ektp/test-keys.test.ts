/**
 * simulator/ektp/test-keys.ts holds copies of the spec's test keys (the product never reads ../shared).
 * This checks the copies against the spec file when the shared folder is present.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hex } from '../../../../protocols/iso7816/bytes.ts';
import { testKeys } from '../../../../simulator/ektp/test-keys.ts';
import { SPEC_DIR } from '../../../shared-data.ts';

const specKeys = path.join(SPEC_DIR, 'ektp-test-keys.json');
const present = existsSync(specKeys);
if (!present) console.log(`skipping test-key comparison: ${specKeys} not found`);

describe.skipIf(!present)('test keys match spec/ektp-test-keys.json', () => {
  it('master key, PCID, CONF and the issuer key pair', () => {
    const spec = JSON.parse(readFileSync(specKeys, 'utf8'));
    const k = testKeys();
    expect(hex(k.masterKey)).toBe(spec.masterKeyHex);
    expect(hex(k.pcid)).toBe(spec.pcidHex);
    expect(hex(k.conf)).toBe(spec.confHex);
    expect(k.issuerPrivateKeyPkcs8Pem).toBe(spec.issuerPrivateKeyPkcs8Pem);
    expect(k.issuerPublicKeySpkiPem).toBe(spec.issuerPublicKeySpkiPem);
  });
});
