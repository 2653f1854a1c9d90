export { type BridgeServer, type CreateServerOptions, createServer } from './create-server.ts';
export { type JsonRpcId, type JsonRpcResponse, type JsonRpcWireError, toWireError } from './jsonrpc.ts';
export type { Authorize, CallContext, MethodDefinition } from './method-registry.ts';
export { metricsRegistry } from './metrics.ts';
export { checkUpgrade, isLoopbackHost, originAllowlist, selfOrigins } from './upgrade-guard.ts';
export { WS_PATH } from './ws-gateway.ts';
