import { createPublicKey, type KeyObject } from 'node:crypto';
import { BridgeError } from '../../protocols/errors.ts';
import type { TicketKey } from '../config/types.ts';

/**
 * Turns the configured backend keys (JWK objects or PEM SPKI strings) into key objects, once, when
 * the verifier is made. Only P-256 EC public keys can verify ES256, so anything else (an RSA key, an
 * HMAC secret, a private key pasted by mistake) is a configuration error, reported at start rather
 * than as a puzzling TICKET_INVALID on every request.
 */
export function importTicketKeys(keys: TicketKey[], label = 'security.ticketKeys'): KeyObject[] {
  return keys.map((key, i) => {
    let obj: KeyObject;
    try {
      if (typeof key === 'string') {
        obj = createPublicKey({ key, format: 'pem' });
      } else {
        if (typeof key.d === 'string') throw new Error('is a private key; configure the public half');
        obj = createPublicKey({ key: key as never, format: 'jwk' });
      }
    } catch (e) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `${label}[${i}] is not a usable public key: ${(e as Error).message}`,
      );
    }
    if (obj.type !== 'public') {
      throw new BridgeError('INVALID_PARAMS', `${label}[${i}] is not a public key`);
    }
    const details = obj.asymmetricKeyDetails;
    if (obj.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new BridgeError('INVALID_PARAMS', `${label}[${i}] is not a P-256 EC key (tickets are ES256)`);
    }
    return obj;
  });
}
