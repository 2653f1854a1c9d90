import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry served at GET /metrics. Services register their own metrics here
 * (`new Counter({ ..., registers: [metricsRegistry] })`). Module-level on purpose: prom-client
 * metrics are named globals, and a second registry per server would split the figures.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry, prefix: 'ektp_bridge_' });

/** outcome is `ok` or the error's reason code, so the label set stays small and fixed. */
export const rpcRequests = new Counter({
  name: 'ektp_bridge_rpc_requests_total',
  help: 'JSON-RPC requests by method and outcome (ok or error reason)',
  labelNames: ['method', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const rpcDuration = new Histogram({
  name: 'ektp_bridge_rpc_duration_seconds',
  help: 'Time from request to response, by method',
  labelNames: ['method'] as const,
  buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const wsClients = new Gauge({
  name: 'ektp_bridge_ws_clients',
  help: 'WebSocket clients connected now',
  registers: [metricsRegistry],
});

export const wsRefused = new Counter({
  name: 'ektp_bridge_ws_upgrades_refused_total',
  help: 'WebSocket upgrades refused, by reason (origin, host, path, limit)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const wsClosedByLimit = new Counter({
  name: 'ektp_bridge_ws_closed_by_limit_total',
  help: 'WebSocket clients closed by the daemon, by reason (not-reading, idle)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const notificationsDropped = new Counter({
  name: 'ektp_bridge_notifications_dropped_total',
  help: 'Notifications not sent to a client whose send buffer was full',
  registers: [metricsRegistry],
});

/** Method label for requests that never reached a method. */
export const UNKNOWN_METHOD_LABEL = '(unknown)';
