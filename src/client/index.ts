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
export { type ClientErrorReason, EktpBridgeError } from './client-error.ts';
