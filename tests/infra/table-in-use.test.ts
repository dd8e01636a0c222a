/**
 * Context `tableName` / `tableStreamArn` point the app at a table restored from point-in-time
 * recovery (OPERATIONS.md, "Restoring the table"); the data stack keeps its own table.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { fromRepoRoot } from '../../infra/paths.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { tableInUse } from '../../infra/table-in-use.ts';

const RESTORED = 'tn-exchange-restored-202701280300';
const STREAM = `arn:aws:dynamodb:ap-southeast-1:123456789012:table/${RESTORED}/stream/2027-01-28T03:40:00.000`;

/** The CLI's feature flags (cdk.json), as the app gets them. */
const context = (
  JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

function dataStack(): DataStack {
  return new DataStack(new App({ context }), 'Data');
}

describe('the table in use', () => {
  it("is the data stack's own table without context", () => {
    const data = dataStack();
    expect(tableInUse(data, {})).toBe(data.table);
  });

  it('is the restored table, with its stream, when both are given', () => {
    const data = dataStack();
    const table = tableInUse(data, { tableName: RESTORED, tableStreamArn: STREAM });
    expect(table).not.toBe(data.table);
    expect(data.resolve(table.tableName)).toBe(RESTORED);
    expect(table.tableStreamArn).toBe(STREAM);
    expect(JSON.stringify(data.resolve(table.tableArn))).toContain(`:table/${RESTORED}`);
  });

  it('refuses a table name without its stream, or a stream of another table', () => {
    expect(() => tableInUse(dataStack(), { tableName: RESTORED })).toThrow(/tableStreamArn/);
    expect(() =>
      tableInUse(dataStack(), { tableName: RESTORED, tableStreamArn: STREAM.replace(RESTORED, 'other') }),
    ).toThrow(/stream ARN of table/);
    expect(() => tableInUse(dataStack(), { tableStreamArn: STREAM })).toThrow(/tableName/);
  });
});
