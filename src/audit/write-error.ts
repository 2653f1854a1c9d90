import { BridgeError } from '../../protocols/errors.ts';

/**
 * The error an operation fails with when its receipt or audit entry cannot be stored: INTERNAL (the
 * client can do nothing about it) with `detail` naming what failed and the errno, and a message that
 * says why in words, for the officer's screen and the log.
 */
export function storageWriteError(
  what: 'audit log' | 'receipt chain head',
  detail: 'AUDIT_WRITE_FAILED' | 'RECEIPT_CHAIN_WRITE_FAILED',
  e: unknown,
): BridgeError {
  if (e instanceof BridgeError) return e;
  const errno = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  const why =
    errno === 'ENOSPC' || errno === 'EDQUOT'
      ? 'the disk is full'
      : errno === 'EROFS'
        ? 'the file system is read-only'
        : errno === 'EACCES' || errno === 'EPERM'
          ? 'permission denied'
          : 'an I/O error';
  return new BridgeError(
    'INTERNAL',
    `${what} write failed (${errno}: ${why}); the result was not given out`,
    { detail, errno },
    { cause: e },
  );
}
