/**
 * `npm run build:site`: regenerates the static storefront from the catalog in DATA_DIR (default
 * .data), seeding demo data first if the store is empty. In AWS the same `astro build` runs with
 * EXCHANGE_API_URL pointing at the deployed API.
 */
import { StartupError } from './dynamodb-local.ts';
import { startExchange } from './runtime.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const log = (line: string) => console.log(`[build:site] ${line}`);

try {
  const exchange = await startExchange({
    port: 0,
    dataDir: process.env.DATA_DIR ?? '.data',
    site: 'always',
    // The URLs `npm start` serves the pages on (it rebuilds them for another PORT or SITE_URL).
    siteUrl: process.env.SITE_URL || `http://127.0.0.1:${process.env.PORT ?? 8080}`,
    log,
  });
  await exchange.stop();
  log('done: site/dist');
} catch (error) {
  console.error(error instanceof StartupError ? `[build:site] ${error.message}` : error);
  process.exit(1);
}
