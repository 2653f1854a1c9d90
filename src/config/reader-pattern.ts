import { BridgeError } from '../../protocols/errors.ts';

/**
 * readers.rf / readers.sam: a plain substring (case-insensitive, because vendors change case between
 * driver versions) or `/regex/flags`. Returns a predicate over PC/SC reader names.
 */
export function readerMatcher(pattern: string, key = 'readers'): (readerName: string) => boolean {
  const re = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (re) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(re[1], re[2]);
    } catch (e) {
      throw new BridgeError(
        'INVALID_PARAMS',
        `config key "${key}": not a valid /regex/: ${(e as Error).message}`,
      );
    }
    return (name) => {
      compiled.lastIndex = 0;
      return compiled.test(name);
    };
  }
  const needle = pattern.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}
