import { randomUUID } from 'node:crypto';
import { beforeAll, inject } from 'vitest';
import { createDb, setDb } from '../../shared/db/client.ts';
import { createTable } from '../../shared/db/create-table.ts';

// Every call of a test file comes from one address and a few phones: the order limits are off
// (as for benchmarks) except in the files that test them, which turn them on.
process.env.RATE_LIMITS = 'off';

// Each test file works on a fresh table, so files can run in parallel without seeing each other.
const tableName = `test-${randomUUID()}`;
const testDb = createDb({ endpoint: inject('dynamodbEndpoint'), region: 'local', tableName });
setDb(testDb);

beforeAll(async () => {
  await createTable(testDb.raw, tableName);
});
