/**
 * Pushing the IOC feed (shared/stats/ioc.ts): the export of a day, signed, POSTed to the
 * configured endpoint. A delivery is retried inside the call with a doubling backoff (a 2xx
 * answer ends it; a timeout, a network error or any other status is retried); when the last
 * attempt fails the call throws IocPushError, and its caller hands the day on: in AWS the
 * worker's SQS message comes back after the queue's visibility timeout and, after its last
 * receive, goes to the feed's dead-letter queue (infra/constructs/ioc-feed.ts); locally the
 * same rounds run in infra/local/ioc-receiver.ts `runIocDelivery`.
 *
 * Settings (`iocSettings`): IOC_ENDPOINT (the receiver's URL, https in AWS), IOC_SIGNING_SECRET
 * (the shared HMAC secret) and IOC_API_KEY (the pull endpoint's key). In Lambda the two secrets
 * come from Secrets Manager through CloudFormation dynamic references; locally they have dev
 * values unless set.
 */
import * as z from 'zod';
import { iocHeaders, IOC_DELIVERY_HEADER } from './ioc.ts';
import { iocExportOf } from './views.ts';

export const DEV_IOC_SIGNING_SECRET = 'dev-ioc-signing-secret-thai-nguyen';
export const DEV_IOC_API_KEY = 'dev-ioc-api-key-thai-nguyen';

export interface IocSettings {
  endpoint?: string;
  signingSecret?: string;
  apiKey?: string;
}

const IocEnv = z.object({
  IOC_ENDPOINT: z.url().optional(),
  IOC_SIGNING_SECRET: z.string().min(16).optional(),
  IOC_API_KEY: z.string().min(16).optional(),
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
});

/** The feed's settings from the environment; dev secrets only outside Lambda. */
export function iocSettings(env: Readonly<Record<string, string | undefined>> = process.env): IocSettings {
  const values = IocEnv.parse(env);
  const local = !values.AWS_LAMBDA_FUNCTION_NAME;
  const signingSecret = values.IOC_SIGNING_SECRET ?? (local ? DEV_IOC_SIGNING_SECRET : undefined);
  const apiKey = values.IOC_API_KEY ?? (local ? DEV_IOC_API_KEY : undefined);
  return {
    ...(values.IOC_ENDPOINT ? { endpoint: values.IOC_ENDPOINT } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

export interface IocPushOptions {
  endpoint: string;
  secret: string;
  /** Attempts in this call. @default 3 */
  attempts?: number;
  /** Wait after failed attempt `n` (1-based). @default 2 s, 4 s, 8 s… */
  backoffMs?: (attempt: number) => number;
  /** Each attempt's own limit. @default 10 s */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface IocPushResult {
  date: string;
  deliveryId: string;
  attempts: number;
  status: number;
  bytes: number;
}

export class IocPushError extends Error {
  constructor(
    readonly date: string,
    readonly attempts: number,
    readonly lastProblem: string,
  ) {
    super(`IOC export of ${date} not delivered after ${attempts} attempts: ${lastProblem}`);
    this.name = 'IocPushError';
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the export of `date` and delivers it (see the module comment for retries). */
export async function pushIocExport(date: string, options: IocPushOptions): Promise<IocPushResult> {
  const now = options.now ?? Date.now;
  const body = JSON.stringify(await iocExportOf(date, now()));
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? ((n: number) => 2_000 * 2 ** (n - 1));
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? wait;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // Signed again each attempt: the timestamp is the attempt's, within the receiver's tolerance.
    const headers = iocHeaders(body, options.secret, date, Math.floor(now() / 1000));
    try {
      const res = await send(options.endpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.ok)
        return {
          date,
          deliveryId: headers[IOC_DELIVERY_HEADER]!,
          attempts: attempt,
          status: res.status,
          bytes: Buffer.byteLength(body),
        };
      lastProblem = `HTTP ${res.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (attempt < attempts) await sleep(backoff(attempt));
  }
  throw new IocPushError(date, attempts, lastProblem);
}
