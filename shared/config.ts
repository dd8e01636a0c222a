/**
 * Runtime configuration, read from the environment once. Defaults are the local runtime's;
 * the CDK stacks set the AWS values.
 */
export interface DbConfig {
  tableName: string;
  region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  endpoint?: string;
  /** Longest wait for a connection to the table (`DYNAMODB_CONNECT_TIMEOUT_MS`). @default 1,000 ms */
  connectTimeoutMs?: number;
  /**
   * Longest wait for one request's answer (`DYNAMODB_REQUEST_TIMEOUT_MS`). @default 2,000 ms, and
   * 5,000 ms for DynamoDB Local (a JVM sharing a laptop's cores with the seeding and the tests)
   */
  requestTimeoutMs?: number;
  /** Sends per request, the first included (`DYNAMODB_MAX_ATTEMPTS`). @default 2 */
  maxAttempts?: number;
}

/**
 * How long a call to the table may take. API Gateway gives up after 29 s and an API function
 * after 10 s (infra/constructs/exchange-function.ts); a stalled table must cost a request a few
 * seconds, then a 503, not the whole timeout. Worst case per call: attempts × request timeout +
 * the SDK's short backoff, ≈ 4.1 s with the defaults (a refused connection fails at once), so a
 * checkout that meets the stall twice (its write, then giving its idempotency key back) still
 * answers in ≈ 8.3 s, inside the function's 10 s. A healthy DynamoDB answers in milliseconds.
 */
export const DB_TIMEOUT_DEFAULTS = {
  connectTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  localRequestTimeoutMs: 5_000,
  maxAttempts: 2,
};

/** A positive whole number from the environment; unset or invalid leaves the default to createDb. */
function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function dbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return {
    tableName: env.TABLE_NAME ?? 'tn-exchange',
    region: env.AWS_REGION ?? 'ap-southeast-1',
    endpoint: env.DYNAMODB_ENDPOINT || undefined,
    connectTimeoutMs: positiveInt(env.DYNAMODB_CONNECT_TIMEOUT_MS),
    requestTimeoutMs: positiveInt(env.DYNAMODB_REQUEST_TIMEOUT_MS),
    maxAttempts: positiveInt(env.DYNAMODB_MAX_ATTEMPTS),
  };
}

function milliseconds(value: string | undefined, fallback: number): number {
  const ms = Number(value ?? fallback);
  return Number.isFinite(ms) && ms >= 0 ? ms : fallback;
}

/**
 * The catalog read model: how often a container reads the catalog's changes
 * (`CATALOG_POLL_MS`, 5 s), and how far back each read reaches before the previous one began
 * (`CATALOG_OVERLAP_MS`, 10 s), for clock skew between functions and index propagation.
 */
export function catalogReadConfig(env: NodeJS.ProcessEnv = process.env): {
  pollMs: number;
  overlapMs: number;
} {
  return {
    pollMs: milliseconds(env.CATALOG_POLL_MS, 5000),
    overlapMs: milliseconds(env.CATALOG_OVERLAP_MS, 10_000),
  };
}

/** The dev secret the local runtime signs cursors with; never used in Lambda. */
const DEV_CURSOR_SECRET = 'dev-cursor-secret-thai-nguyen-exchange';

/**
 * The secret that seals paging cursors (`CURSOR_SECRET`, at least 32 characters). Locally a dev
 * secret stands in; in Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) a missing or short one is an error,
 * never the dev secret.
 */
export function cursorSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.CURSOR_SECRET;
  if (secret && secret.length >= 32) return secret;
  if (env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('CURSOR_SECRET is not configured (32+ characters)');
  if (secret) throw new Error('CURSOR_SECRET must be at least 32 characters');
  return DEV_CURSOR_SECRET;
}

/**
 * The most listings one seller may hold, archived ones aside (`SELLER_LISTING_CAP`, default 300):
 * a real household or cooperative lists a few dozen; a cap keeps one account from flooding the
 * catalog and its review queue.
 */
export function sellerListingCap(env: NodeJS.ProcessEnv = process.env): number {
  const cap = Number(env.SELLER_LISTING_CAP ?? 300);
  return Number.isInteger(cap) && cap > 0 ? cap : 300;
}
