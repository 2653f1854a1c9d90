export { API_VERSION } from '../../protocols/api-version.ts';
export type * from './api-types.ts';
export {
  type CallOptions,
  type ClientOptions,
  DEFAULT_URL,
  EktpBridgeClient,
  type OperationPromise,
  type WebSocketConstructor,
  type WebSocketLike,
} from './client.ts';
export {
  type ClientErrorReason,
  EktpBridgeError,
  isKnownReason,
  KNOWN_REASONS,
  reasonMessages,
} from './client-error.ts';
export { CONNECTION_REASON_CODES, CONNECTION_REASONS, type ConnectionReason } from './connection-reasons.ts';
export { localNetworkPermission } from './diagnose.ts';
