/** Logs, metrics and correlation for every function and the domain (see README, "Logs, metrics and traces"). */
export { log, createLogger, useLogger, formatLine, type ExchangeLog, type LogSink } from './log.ts';
export {
  countEvent,
  recordSeconds,
  flushMetrics,
  configureMetrics,
  metricsSettingsFromEnv,
} from './metrics.ts';
export { correlateWith, withLogScope, withOrder, currentLogScope } from './scope.ts';
export { redact, redactText, maskPhone } from './redact.ts';
export { instrumentClient, installClientInstrumentation } from './clients.ts';
