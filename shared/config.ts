/**
 * Runtime configuration, read from the environment once. Defaults are the local runtime's;
 * the CDK stacks set the AWS values.
 */
export interface DbConfig {
  tableName: string;
  region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  endpoint?: string;
}

export function dbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return {
    tableName: env.TABLE_NAME ?? 'tn-exchange',
    region: env.AWS_REGION ?? 'ap-southeast-1',
    endpoint: env.DYNAMODB_ENDPOINT || undefined,
  };
}

/** How long the catalog function keeps its in-memory snapshot of the catalog. */
export function catalogCacheMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.CATALOG_CACHE_MS ?? 5000);
  return Number.isFinite(value) && value >= 0 ? value : 5000;
}
