/**
 * A cooperative's reference prices per grade (category), with their history:
 *
 *   REFPRICE#<cooperative> / <category>#<effectiveFrom>#<setAt>#<id>   reference_price
 *
 * A new price is a new item (nothing is overwritten), so the history stays. The price in force on
 * a day is the last item of the category sorted at or before that day: the latest effective date,
 * and of two prices set for the same date the one set later. One partition per cooperative,
 * written only by its manager.
 */
import type { ReferencePrice } from '../market/reference-prices.ts';
import { auditPut, type AuditEntry } from './audit.ts';
import { db } from './client.ts';
import { fromItem, queryAll, type TransactItem } from './items.ts';
import { transactWrite } from './retry.ts';

const partition = (cooperativeId: string) => `REFPRICE#${cooperativeId}`;
const sortKey = (p: ReferencePrice) => `${p.category}#${p.effectiveFrom}#${p.setAt}#${p.id}`;

/** Writes new reference prices together (all or none), with an entry of the cooperative's audit. */
export async function addReferencePrices(
  prices: readonly ReferencePrice[],
  audit: AuditEntry,
): Promise<void> {
  const TableName = db().tableName;
  const items: TransactItem[] = prices.map((p) => ({
    Put: {
      TableName,
      Item: { pk: partition(p.cooperativeId), sk: sortKey(p), type: 'reference_price', ...p },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  await transactWrite([...items, auditPut(TableName, prices[0]!.cooperativeId, audit)]);
}

/** The price of `category` in force on `day` (YYYY-MM-DD), if any. */
export async function referencePriceOn(
  cooperativeId: string,
  category: string,
  day: string,
): Promise<ReferencePrice | undefined> {
  const [item] = await queryAll(
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': partition(cooperativeId),
        ':from': `${category}#`,
        ':to': `${category}#${day}#\uffff`,
      },
      ScanIndexForward: false,
    },
    { max: 1 },
  );
  return item ? fromItem<ReferencePrice>(item) : undefined;
}

/** A cooperative's reference prices, every grade, newest effective date first (at most `max`). */
export async function referencePriceHistory(cooperativeId: string, max = 500): Promise<ReferencePrice[]> {
  const items = await queryAll(
    {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition(cooperativeId) },
      ScanIndexForward: false,
      // The board reads it back right after a manager saved.
      ConsistentRead: true,
    },
    { max },
  );
  return items.map((item) => fromItem<ReferencePrice>(item));
}
