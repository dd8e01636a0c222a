import { Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { DataStack } from './stacks/data-stack.ts';

/**
 * The table the functions use: the data stack's own, or, after a point-in-time restore
 * (OPERATIONS.md, "Restoring the table"), the restored one named by the environment's
 * `restoredTable.name`, with its stream (`restoredTable.streamArn`, which the storefront
 * invalidation reads). The data stack keeps
 * its original table either way (retained, deletion-protected) until it is deleted by hand.
 */
export function tableInUse(
  data: DataStack,
  context: { tableName?: unknown; tableStreamArn?: unknown },
): ITable {
  const { tableName, tableStreamArn } = context;
  if (tableName === undefined && tableStreamArn === undefined) return data.table;
  if (typeof tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new Error(`Context tableName must be a DynamoDB table name, got ${String(tableName)}`);
  }
  if (
    typeof tableStreamArn !== 'string' ||
    !tableStreamArn.startsWith('arn:') ||
    !tableStreamArn.includes(`:table/${tableName}/stream/`)
  ) {
    throw new Error(
      `Context tableStreamArn must be the stream ARN of table ${tableName} (aws dynamodb describe-table --table-name ${tableName} --query Table.LatestStreamArn), got ${String(tableStreamArn)}`,
    );
  }
  return Table.fromTableAttributes(data, 'TableInUse', { tableName, tableStreamArn });
}
