/**
 * AWS SDK clients are passed through `instrumentClient` where they are built, so that in Lambda
 * their calls appear as X-Ray subsegments. The domain stays free of the tracer: the Lambda entry
 * (functions/observability.ts) installs the tracer's capture at start; elsewhere (the local
 * runtime, tests, scripts) nothing is installed and a client is returned untouched.
 */
type Instrument = <T>(client: T) => T;

let instrument: Instrument | undefined;

export function installClientInstrumentation(next: Instrument): void {
  instrument = next;
}

export function instrumentClient<T>(client: T): T {
  return instrument ? instrument(client) : client;
}
