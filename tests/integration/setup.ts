import { randomUUID } from 'node:crypto';
import { beforeAll, inject } from 'vitest';
import { createDb, setDb } from '../../shared/db/client.ts';
import { createTable } from '../../shared/db/create-table.ts';

// Each test file works on a fresh table, so files can run in parallel without seeing each other.
const tableName = `test-${randomUUID()}`;
const testDb = createDb({ endpoint: inject('dynamodbEndpoint'), region: 'local', tableName });
setDb(testDb);

beforeAll(async () => {
  await createTable(testDb.raw, tableName);
});
