/**
 * Business and technical metrics as CloudWatch embedded metric format (Powertools Metrics),
 * recorded where the event happens and flushed once per Lambda invocation (functions/observability.ts).
 *
 * Namespace: POWERTOOLS_METRICS_NAMESPACE (`TnExchange/<env>`, set by the infra; `TnExchange/local`
 * otherwise). Every metric has exactly one dimension, `service` (POWERTOOLS_SERVICE_NAME). A
 * breakdown (payment method, IPN answer code) is an extra single metric of the same name with a
 * second dimension, never what an alarm watches.
 *
 * Outside Lambda nothing is recorded unless a test turns it on: the local server prints no EMF.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { log } from './log.ts';

/** The metric contract: names are what dashboards and alarms read, never renamed. */
export const COUNT_METRICS = [
  'OrdersPlaced',
  'PaymentsSettled',
  'IpnAnswered',
  'IpnFailed',
  'StockRefusals',
  'RefundsCreated',
  'SignInCodesSent',
  'SmsSent',
  'SmsFailed',
  'VietQrUnmatched',
  'SiteRebuildFailed',
  'InvoicesIssued',
  'InvoiceIssueFailed',
] as const;
export const SECONDS_METRICS = [
  'JobLagSeconds',
  'OutboxOldestAgeSeconds',
  'ExpiryOldestAgeSeconds',
  'NoticeLagSeconds',
] as const;

export type CountMetric = (typeof COUNT_METRICS)[number];
export type SecondsMetric = (typeof SECONDS_METRICS)[number];
/** Second dimensions of the breakdown metrics. */
export type BreakdownDimension = 'PaymentMethod' | 'RspCode';

export const LOCAL_NAMESPACE = 'TnExchange/local';

export interface MetricsSettings {
  enabled: boolean;
  namespace: string;
  service: string;
}

let settings: MetricsSettings | undefined;
let metrics: Metrics | undefined;

/** From the environment: on in Lambda, off elsewhere. */
export function metricsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsSettings {
  return {
    enabled: !!env.AWS_LAMBDA_FUNCTION_NAME,
    namespace: env.POWERTOOLS_METRICS_NAMESPACE || LOCAL_NAMESPACE,
    service: env.POWERTOOLS_SERVICE_NAME || 'local',
  };
}

/** (Re)configures metrics: the Lambda wrapper at cold start, tests with their own settings. */
export function configureMetrics(next: MetricsSettings = metricsSettingsFromEnv()): void {
  settings = next;
  metrics = next.enabled
    ? new Metrics({
        namespace: next.namespace,
        serviceName: next.service,
        // Its warnings (an invalid dimension, …) go through the exchange's logger.
        logger: {
          debug: () => {},
          info: () => {},
          warn: (...a: unknown[]) => log().warn(String(a[0])),
          error: (...a: unknown[]) => log().error(String(a[0])),
        },
      })
    : undefined;
}

function active(): Metrics | undefined {
  if (!settings) configureMetrics();
  return metrics;
}

/** Counts one event (or `value` of them); with a breakdown, also the same count under its second dimension. */
export function countEvent(
  name: CountMetric,
  value = 1,
  breakdown?: { dimension: BreakdownDimension; value: string },
): void {
  const m = active();
  if (!m) return;
  m.addMetric(name, MetricUnit.Count, value);
  if (breakdown && breakdown.value) {
    m.singleMetric()
      .addDimension(breakdown.dimension, breakdown.value)
      .addMetric(name, MetricUnit.Count, value);
  }
}

/** Records an age or a lag in seconds (never negative). */
export function recordSeconds(name: SecondsMetric, seconds: number): void {
  const m = active();
  if (!m) return;
  m.addMetric(name, MetricUnit.Seconds, Math.max(0, Math.round(seconds * 1000) / 1000));
}

/** Prints what was recorded since the last flush as one EMF document (end of each invocation). */
export function flushMetrics(): void {
  const m = active();
  if (!m?.hasStoredMetrics()) return;
  m.publishStoredMetrics();
}
