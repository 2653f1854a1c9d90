/**
 * WebSocket close codes the daemon sends (docs/api/README.md "Limits", docs/security.md
 * "Connection limits"). 4000-4999 are for applications (RFC 6455 §7.4.2); the standard ones keep
 * their meaning. Defined once so the docs, the SDK and the tests name the same numbers.
 */
export const CLOSE = {
  /** the daemon shuts down */
  STOPPING: { code: 1001, reason: 'daemon stopping' },
  /** nothing arrived from the client (no message, no pong) for connections.idleTimeoutMs */
  IDLE: { code: 4000, reason: 'idle: nothing received' },
  /** more than connections.maxQueuedBytes or maxQueuedMessages unsent: the client does not read */
  NOT_READING: { code: 4008, reason: 'send queue full: client is not reading' },
} as const;

export type CloseKind = keyof typeof CLOSE;

/**
 * How long a client has to answer a close frame before its socket is cut. A client that does not
 * read never sees the frame; one that reads slowly gets it after its backlog, within this time.
 */
export const CLOSE_GRACE_MS = 1000;
