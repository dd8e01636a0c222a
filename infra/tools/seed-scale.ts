/**
 * `npm run seed:scale`: a province-sized, deterministic catalog in a DATA_DIR that
 * `DATA_DIR=<dir> npm start` runs on. Options:
 *   --listings N      published listings (default 20000; 3 packs and 2 lots each)
 *   --producers N     producers (default 5000: ~6 % cooperatives, ~2 % enterprises, households)
 *   --data-dir DIR    where DynamoDB Local keeps the data and photos go (default $DATA_DIR or .data/scale)
 *   --seed N          PRNG seed (default 2025): the same seed and sizes give the same catalog
 *   --concurrency N   transactions in flight, up to 100 items each (default 4)
 *   --no-demo         leave out the 33 demo listings and the demo accounts (the admin among them)
 * Stop the exchange first if it runs on the same folder.
 */
import { parseArgs } from 'node:util';
import { seedScaleDataDir } from '../local/demo/scale-seed.ts';
import { StartupError } from '../local/dynamodb-local.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    listings: { type: 'string' },
    producers: { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
  },
});

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new StartupError(`--${name} must be a whole number ≥ 1, got "${value}"`);
  return n;
}

const log = (line: string) => console.log(`[seed:scale] ${line}`);

async function main() {
  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? '.data/scale';
  const options = {
    dataDir,
    listings: positive('listings', values.listings),
    producers: positive('producers', values.producers),
    seed: positive('seed', values.seed),
    concurrency: positive('concurrency', values.concurrency),
    demo: !values['no-demo'],
    log,
  };
  log(`seeding ${dataDir} …`);
  const m = await seedScaleDataDir(options);
  const seconds = m.ms / 1000;
  log(
    `done in ${seconds.toFixed(0)} s: ${m.producers} producers, ${m.accounts} accounts, ${m.listings} listings, ` +
      `${m.packs} packs, ${m.lots} lots, ${m.certificates} OCOP certificates — ${m.items} items ` +
      `(${(m.items / seconds).toFixed(0)} items/s)${m.demo ? ', plus the demo catalog' : ''}`,
  );
  console.log(`\nRun the exchange on it:  DATA_DIR=${dataDir} npm start`);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) console.error(`[seed:scale] ${error.message}`);
  else console.error(error);
  process.exit(1);
});
