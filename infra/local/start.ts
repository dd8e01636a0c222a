/**
 * `npm start`: the whole exchange on this machine with demo data. PORT (8080) and DATA_DIR
 * (.data) are honoured; Ctrl-C stops everything, DynamoDB Local included. A DATA_DIR seeded by
 * `npm run seed:scale` runs as it is: the demo catalog is never written on top of it (the seeder
 * adds it first unless told `--no-demo`).
 */
import { createServer } from 'node:net';
import { readScaleManifest } from './demo/scale-seed.ts';
import { StartupError } from './dynamodb-local.ts';
import { startExchange } from './runtime.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? '.data';
const log = (line: string) => console.log(`[exchange] ${line}`);

async function portIsFree(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function main() {
  const started = Date.now();
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new StartupError(`PORT must be a number from 1 to 65535, got "${process.env.PORT}"`);
  if (!(await portIsFree())) {
    throw new StartupError(
      `Port ${port} is already in use: stop the other process or run with another port, e.g. PORT=${port + 1} npm start`,
    );
  }
  const scale = readScaleManifest(dataDir);
  if (scale) {
    log(
      `province-scale data in ${dataDir}: ${scale.listings.toLocaleString('en-US')} listings of ` +
        `${scale.producers.toLocaleString('en-US')} producers${scale.demo ? ' and the demo catalog' : ''} (npm run seed:scale)`,
    );
  }
  const exchange = await startExchange({ port, host, dataDir, log, ...(scale ? { seed: false } : {}) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Sàn OCOP Thái Nguyên is running (ready in ${seconds} s) — ${scale ? `province-scale demo data (${scale.listings.toLocaleString('en-US')} listings)` : 'demo data'}, local only

  Storefront   ${exchange.url}/   (English: ${exchange.url}/en/; search: ${exchange.url}/tim-kiem/)
  Seller       ${exchange.url}/ban-hang/   (cooperative board: ${exchange.url}/hop-tac-xa/)
  Catalog API  ${exchange.url}/api/catalog/products
  Health       ${exchange.url}/api/health   (ready: ${exchange.url}/api/health/ready)
  API docs     ${exchange.url}/api/docs   (OpenAPI: ${exchange.url}/api/openapi.json)
  Media        ${exchange.url}/media/
  Dev inbox    ${exchange.url}/dev/inbox/   (sign-in codes and messages)
  VNPay (emu)  ${exchange.vnpay.url}/paymentv2/vpcpay.html   (IPN → ${exchange.url}/api/payments/vnpay/ipn)
  Carriers     ${exchange.carriers.url}/   (GHN ${exchange.carriers.hosts.ghn}, GHTK ${exchange.carriers.hosts.ghtk}; webhooks → ${exchange.url}/api/carriers/{carrier}/webhook)
  Zalo (emu)   ${exchange.zalo.url}/message/template   (ZNS; deliveries shown in the dev inbox)
  Định danh    ${exchange.identity.issuer}/.well-known/openid-configuration   (OpenID Connect; demo citizens: ${exchange.identity.citizens.map((c) => c.name).join(', ')})
  SInvoice     ${exchange.einvoice.url}/services/einvoiceapplication/…   (e-invoices, Viettel's API; lookup ${exchange.einvoice.url}/tra-cuu)
  IOC (emu)    ${exchange.ioc ? `${exchange.ioc.url}/   (daily feed deliveries; push one: npm run ioc:push -- --date YYYY-MM-DD)` : 'not started (its port is taken)'}
  DynamoDB     ${exchange.dynamodb.endpoint}   (data: ${dataDir})

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    await exchange.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) console.error(`[exchange] ${error.message}`);
  else console.error(error);
  process.exit(1);
});
