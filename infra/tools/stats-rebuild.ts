/**
 * `npm run stats:rebuild`: recomputes the programme's counters (shared/db/stats.ts) from the table
 * by paged reads, for the first deploy of the statistics only (afterwards the stream worker keeps
 * them). In AWS: `TABLE_NAME=<table> AWS_REGION=<region> npm run stats:rebuild` with the
 * operator's credentials; locally, with the exchange running:
 * `DYNAMODB_ENDPOINT=http://127.0.0.1:<port> npm run stats:rebuild` (the port is printed by
 * `npm start`'s DynamoDB Local line).
 */
import { loadConfig } from '../../shared/config.ts';
import { createDb } from '../../shared/db/client.ts';
import { rebuildStats } from '../../shared/db/stats.ts';
import { provideServices } from '../../shared/services.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const config = loadConfig(process.env);
  provideServices({ config, db: createDb(config) });
  console.log(
    `[stats:rebuild] reading ${config.tableName}${config.dynamodbEndpoint ? ` at ${config.dynamodbEndpoint}` : ''}`,
  );
  const started = Date.now();
  const result = await rebuildStats({
    onPage: (read) => process.stdout.write(`\r[stats:rebuild] ${read} items read`),
  });
  console.log(
    `\n[stats:rebuild] ${result.items} items counted into ${result.counters} counters, ${result.households} households with a sale, in ${Date.now() - started} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(`[stats:rebuild] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
