import { BridgeError } from '../../../protocols/errors.ts';

/**
 * What a fault left an operation with: 'ok', the BridgeError code, or 'no answer (hang)' after `ms`.
 * The fault matrix asserts that every operation in flight gets an answer with a stable code; a hang
 * or a foreign error is itself the failure to report, so neither is thrown.
 */
export async function outcome(p: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<string>((r) => {
    timer = setTimeout(() => r('no answer (hang)'), ms);
  });
  const answered = p.then(
    () => 'ok',
    (e: unknown) => (e instanceof BridgeError ? e.code : `not a BridgeError: ${String(e)}`),
  );
  try {
    return await Promise.race([answered, hang]);
  } finally {
    clearTimeout(timer);
  }
}
