/**
 * Every Lambda entry of the exchange is `observed(service, handler)`: Powertools Logger, Metrics
 * and Tracer around one invocation.
 *
 *  - Logs carry the Lambda request id and a correlation id: the API Gateway request id of an HTTP
 *    call until the order code is known (shared/observability/scope.ts), the request id otherwise.
 *  - Metrics recorded during the invocation are flushed once at its end (EMF on stdout).
 *  - With tracing on (in Lambda, unless POWERTOOLS_TRACE_ENABLED=false) the invocation is a
 *    subsegment annotated with the service and cold start, errors are recorded on it, and every
 *    AWS SDK client built through `instrumentClient` is captured. Outside Lambda the tracer is off
 *    and none of this runs.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { log } from '../shared/observability/log.ts';
import { countEvent, flushMetrics } from '../shared/observability/metrics.ts';
import { installClientInstrumentation } from '../shared/observability/clients.ts';
import { withLogScope } from '../shared/observability/scope.ts';

let tracer: Tracer | undefined;

/**
 * Starts the tracer and the capture of AWS SDK clients, once per process. The composition root
 * (functions/services.ts) calls it before it builds the function's clients, so that the table,
 * SMS and Cognito clients are captured too; `observed` calls it again (a no-op by then).
 */
export function startObservability(service: string): Tracer {
  if (tracer) return tracer;
  // Read by the logger and by metrics (configured from the environment on first use).
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) process.env.POWERTOOLS_SERVICE_NAME ||= service;
  tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME });
  const active = tracer;
  if (active.isTracingEnabled()) installClientInstrumentation((client) => active.captureAWSv3Client(client));
  return active;
}

/** The API Gateway request id of an HTTP event (v2 or v1), if the event is one. */
function apiRequestId(event: unknown): string | undefined {
  const id = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext?.requestId;
  return typeof id === 'string' ? id : undefined;
}

export interface ObserveOptions {
  /**
   * Counted once when the invocation throws (e.g. `SiteRebuildFailed` for the storefront's
   * invalidation): a failure the event source will retry or dead-letter.
   */
  failureMetric?: 'SiteRebuildFailed';
}

/**
 * Wraps a Lambda handler. `service` is the function's key in functions/routes.ts (or `siteRender`,
 * `siteInvalidate`); POWERTOOLS_SERVICE_NAME, when the infra sets it, wins.
 */
export function observed<H extends (event: never, context: never) => Promise<unknown>>(
  service: string,
  handler: H,
  options: ObserveOptions = {},
): H {
  const tracer = startObservability(service);
  const wrapped = (event: unknown, context: Partial<Context> | undefined) =>
    withLogScope(
      { correlationId: apiRequestId(event) ?? context?.awsRequestId, requestId: context?.awsRequestId },
      async () => {
        if (context?.awsRequestId) log().addContext(context as Context);
        const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
        const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? service}`);
        if (segment) {
          tracer.setSegment(segment);
          tracer.annotateColdStart();
          tracer.addServiceNameAnnotation();
        }
        try {
          return await handler(event as never, context as never);
        } catch (error) {
          log().error('invocation failed', error as Error);
          if (options.failureMetric) countEvent(options.failureMetric);
          if (segment) tracer.addErrorAsMetadata(error as Error);
          throw error;
        } finally {
          flushMetrics();
          if (segment && parent) {
            segment.close();
            tracer.setSegment(parent);
          }
        }
      },
    );
  return wrapped as unknown as H;
}
