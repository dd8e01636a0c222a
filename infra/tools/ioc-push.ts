/**
 * `npm run ioc:push -- --date YYYY-MM-DD`: builds the IOC feed's export of that day from the
 * counters and pushes it, signed, with the feed's retries (shared/stats/ioc-push.ts). Locally,
 * with `npm start` running: to its IOC receiver (six ports after PORT, 8086 by default) with
 * the dev secret, reading DynamoDB Local at DYNAMODB_ENDPOINT (the port `npm start` prints). In
 * AWS (a day the dead-letter queue kept): `TABLE_NAME=<table> AWS_REGION=<region>
 * IOC_ENDPOINT=<url> IOC_SIGNING_SECRET=<secret> npm run ioc:push -- --date YYYY-MM-DD`.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/config.ts';
import { createDb } from '../../shared/db/client.ts';
import { provideServices } from '../../shared/services.ts';
import { iocSettings, pushIocExport } from '../../shared/stats/ioc-push.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const { values } = parseArgs({ options: { date: { type: 'string' } } });
  const date = values.date;
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new Error('Give the day: npm run ioc:push -- --date YYYY-MM-DD');
  const config = loadConfig(process.env);
  provideServices({ config, db: createDb(config) });
  const settings = iocSettings();
  const endpoint = settings.endpoint ?? `http://127.0.0.1:${Number(process.env.PORT ?? 8080) + 6}/ioc`;
  if (!settings.signingSecret) throw new Error('IOC_SIGNING_SECRET is not set');
  console.log(`[ioc:push] ${date} → ${endpoint}`);
  const result = await pushIocExport(date, { endpoint, secret: settings.signingSecret });
  console.log(
    `[ioc:push] delivered ${result.deliveryId}: ${result.bytes} bytes, HTTP ${result.status}, attempt ${result.attempts}`,
  );
}

main().catch((error: unknown) => {
  console.error(`[ioc:push] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
