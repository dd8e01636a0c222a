import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { newId } from './items.ts';

/** A decision or change, recorded with who, when, what and why, visible to those concerned. */
export interface AuditEntry {
  at: string;
  actor: { sub: string; role: 'self' | 'cooperative_manager' | 'admin' | 'system' };
  action: string;
  subject: {
    type: 'producer' | 'product' | 'certificate' | 'lot' | 'stock' | 'review';
    id: string;
    name?: string;
  };
  reason?: string;
  details?: Record<string, unknown>;
}

/** A Put for the producer's audit trail, to add to the transaction that makes the change. */
export function auditPut(tableName: string, producerId: string, entry: AuditEntry) {
  return {
    Put: {
      TableName: tableName,
      Item: { pk: `AUDIT#${producerId}`, sk: `${entry.at}#${newId()}`, type: 'audit', ...entry },
    },
  };
}

export async function listAudit(producerId: string, limit = 100): Promise<AuditEntry[]> {
  const { doc, tableName } = db();
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${producerId}` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return Items.map(({ at, actor, action, subject, reason, details }) => ({
    at,
    actor,
    action,
    subject,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
  })) as AuditEntry[];
}
