/**
 * How much of one cooperative's part of an order has been refunded, so that a part's refunds
 * (its manager's manual ones, the automatic one when the part is cancelled) never take another
 * part's money:
 *   ORDER#<code> / PARTREFUND#<fulfiller>   part_refund   refunded (whole VND)
 * Changed only inside the refund's own transaction (the payment SDK's `transactItems`).
 */
import { db } from './client.ts';
import { getConsistent } from './item-access.ts';
import type { TransactItem } from './items.ts';

const partRefundKey = (code: string, fulfillerId: string) => ({
  pk: `ORDER#${code}`,
  sk: `PARTREFUND#${fulfillerId}`,
});

/** What has been refunded of a part so far. */
export async function partRefunded(code: string, fulfillerId: string): Promise<number> {
  return Number((await getConsistent(partRefundKey(code, fulfillerId)))?.refunded ?? 0);
}

/** Counts `amount` against a part of `partTotal`; fails if that would refund more than the part. */
export function reservePartRefund(
  code: string,
  fulfillerId: string,
  amount: number,
  partTotal: number,
): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: partRefundKey(code, fulfillerId),
      UpdateExpression: 'SET #type = :type ADD refunded :amount',
      ConditionExpression: 'attribute_not_exists(refunded) OR refunded <= :maxBefore',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': 'part_refund',
        ':amount': amount,
        ':maxBefore': partTotal - amount,
      },
    },
  };
}

/** Gives back a part's reservation that did not turn into a refund (the rail refused). */
export function releasePartRefund(code: string, fulfillerId: string, amount: number): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: partRefundKey(code, fulfillerId),
      UpdateExpression: 'ADD refunded :minus',
      ConditionExpression: 'refunded >= :amount',
      ExpressionAttributeValues: { ':minus': -amount, ':amount': amount },
    },
  };
}
