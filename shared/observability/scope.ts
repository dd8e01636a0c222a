/**
 * The per-request (or per-invocation, per-job) keys every log line carries: the correlation id
 * and the request id. Kept in AsyncLocalStorage, so the local server's concurrent requests never
 * see each other's keys; a scope opened inside another (an order handled by a job run) inherits
 * its keys and may replace the correlation id for its own work only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogScope {
  /** The order code once one is known; before that the API Gateway (or local) request id. */
  correlationId?: string;
  /** The Lambda request id (awsRequestId), or the local server's request id. */
  requestId?: string;
}

const storage = new AsyncLocalStorage<LogScope>();

/** Runs `fn` with these keys added to the current ones (the current scope is left unchanged). */
export function withLogScope<T>(keys: LogScope, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...definedOnly(keys) }, fn);
}

/** The keys of the scope the caller runs in (empty outside any). */
export function currentLogScope(): LogScope {
  return { ...storage.getStore() };
}

/**
 * The order code becomes the correlation id of the rest of this request or job: called where
 * checkout mints a code, where a payment or a notice finds its order. Outside any scope (a
 * script) it does nothing.
 */
export function correlateWith(orderCode: string | undefined): void {
  const scope = storage.getStore();
  if (scope && orderCode) scope.correlationId = orderCode;
}

/** Runs `fn` in a scope of its own whose correlation id is this order code (one order of a job run). */
export function withOrder<T>(orderCode: string | undefined, fn: () => T): T {
  return orderCode ? withLogScope({ correlationId: orderCode }, fn) : fn();
}

function definedOnly(keys: LogScope): LogScope {
  return Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined));
}
