import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createTable } from '../../shared/db/create-table.ts';
import { provideServices } from '../../shared/services.ts';
import { localConfig, localServices } from '../../infra/local/services.ts';
import { stopTestCarriers, testCarriers } from './carrier-world.ts';

// Every call of a test file comes from one address and a few phones: the order limits are off
// (as for benchmarks) except in the files that test them, which turn them on.
process.env.RATE_LIMITS = 'off';

// Each test file works on a fresh table, so files can run in parallel without seeing each other.
// The services are the local runtime's composition (infra/local/services.ts) over that table.
const tableName = `test-${randomUUID()}`;
const testServices = localServices({
  config: localConfig({
    tableName,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    region: 'local',
    siteUrl: 'http://127.0.0.1:8080',
  }),
  // The carriers' emulators start on the first call only (carrier-world.ts).
  carriers: testCarriers,
});
provideServices(testServices);

beforeAll(async () => {
  await createTable(testServices.db.raw, tableName);
});

afterAll(() => stopTestCarriers());
