/**
 * TEST-ONLY keys of profile v1, copied from /work/shared/spec/ektp-test-keys.json (the spec's public
 * test installation: "Never valid for a real SAM"). Copied so the simulator never reads ../shared at
 * run time. A real installation's PCID/CONF come from the daemon's configuration; a real master key
 * and issuer private key never exist outside the issuer and the SAM.
 */
import { fromHex } from '../../protocols/iso7816/bytes.ts';

export const TEST_MASTER_KEY_HEX = '6b8479099b0f3d9fc11278b9d402d9645e7c8db1cd580298f6323dfc4020fff9';
export const TEST_PCID_HEX = 'ac2349aa252d4ae479913ec6e68d2494';
export const TEST_CONF_HEX = '466f11be3ea9f8fbce0869ebabdddf1657afead5bfdc399bfe9752ce13f1ba1e';

export const TEST_ISSUER_PRIVATE_KEY_PKCS8_PEM =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgoYNqQ04eQ9xcCI7V\nCEAIUOZ/oBm2HmGVfc5fxIlcTbWhRANCAAS9Rf1iqHlQu+fZK8B6K5fJ6y864doY\nabJHhFdfi/d9F3MWrFhG/FWtOihvJ2hNSe30UR/8K7xOXyn1/l9SANG1\n-----END PRIVATE KEY-----\n';

export const TEST_ISSUER_PUBLIC_KEY_SPKI_PEM =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEvUX9Yqh5ULvn2SvAeiuXyesvOuHa\nGGmyR4RXX4v3fRdzFqxYRvxVrToobydoTUnt9FEf/Cu8Tl8p9f5fUgDRtQ==\n-----END PUBLIC KEY-----\n';

export interface EktpKeys {
  masterKey: Uint8Array;
  pcid: Uint8Array;
  conf: Uint8Array;
  issuerPrivateKeyPkcs8Pem: string;
  issuerPublicKeySpkiPem: string;
}

/** Fresh copies each call, so a test that mutates a key cannot disturb another. */
export function testKeys(): EktpKeys {
  return {
    masterKey: fromHex(TEST_MASTER_KEY_HEX),
    pcid: fromHex(TEST_PCID_HEX),
    conf: fromHex(TEST_CONF_HEX),
    issuerPrivateKeyPkcs8Pem: TEST_ISSUER_PRIVATE_KEY_PKCS8_PEM,
    issuerPublicKeySpkiPem: TEST_ISSUER_PUBLIC_KEY_SPKI_PEM,
  };
}
