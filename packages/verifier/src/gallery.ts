import { CompactSign, type CryptoKey, importJWK, type JWK, type KeyObject } from 'jose';

/** The payload's `typ`: the daemon refuses any other (docs/gallery.md). */
export const GALLERY_TYPE = 'ektp-bridge-gallery/1';

export interface GalleryEntry {
  /** the backend's identifier for the person (1..64 characters, unique in the gallery) */
  id: string;
  /** one ISO/IEC 19794-2 finger minutiae record */
  iso: Uint8Array;
}

export interface GalleryRequest {
  /** what finger.identify's `gallery` param names: [A-Za-z0-9._-], 1..64 characters */
  name: string;
  /** the device id it is for, or `*` */
  aud: string;
  entries: readonly GalleryEntry[];
  /** issue time in seconds (default now); a newer gallery of the same name replaces an older one */
  iat?: number;
}

/**
 * Signs a gallery for finger.identify as the daemon expects it (docs/gallery.md): a compact JWS
 * (ES256) whose payload is { typ, name, aud, iat, entries: [{ id, iso: base64url }] }.
 */
export async function signGallery(
  privateKey: JWK | CryptoKey | KeyObject,
  req: GalleryRequest,
  opts: { kid?: string } = {},
): Promise<string> {
  const payload = {
    typ: GALLERY_TYPE,
    name: req.name,
    aud: req.aud,
    iat: req.iat ?? Math.floor(Date.now() / 1000),
    entries: req.entries.map((e) => ({ id: e.id, iso: Buffer.from(e.iso).toString('base64url') })),
  };
  const key =
    typeof (privateKey as JWK).kty === 'string'
      ? await importJWK({ ...(privateKey as JWK), alg: 'ES256' }, 'ES256')
      : (privateKey as CryptoKey | KeyObject);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(opts.kid ? { kid: opts.kid } : {}) })
    .sign(key);
}
