/**
 * VNPay payment attempts, the markers of attempts still waiting for VNPay, and late payments:
 *   VNPTXN#<txnRef>      / TXN                              an attempt: its intent, amount, dates
 *   VNPAYPENDING#<shard> / <windowEnd>#<intent>#<txnRef>    waiting for VNPay, by window end
 *                                                          (shard from a hash of the intent id)
 *   VNPAYLATE            / <txnRef>                         a paid attempt that settled nothing
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { VnpayLatePayment } from '../payments/vnpay/ipn.ts';
import { db } from './client.ts';
import { getConsistent, isConditionFailure, putIfAbsent } from './item-access.ts';
import { queryAll, type TransactItem } from './items.ts';
import { shardedKey, shardKey } from './shards.ts';

/** Base of the "waiting for VNPay" markers' shards (`VNPAYPENDING#<shard>`). */
export const VNPAY_PENDING_PARTITION = 'VNPAYPENDING';
const VNPAY_LATE_PARTITION = 'VNPAYLATE';

/** Fixed width, so the sort key orders by time. */
const markerTime = (ms: number) => String(ms).padStart(15, '0');

const txnKey = (txnRef: string) => ({ pk: `VNPTXN#${txnRef}`, sk: 'TXN' });
const pendingKey = (txn: VnpayTxn) => ({
  pk: shardedKey(VNPAY_PENDING_PARTITION, txn.intentId),
  sk: `${markerTime(txn.windowEndMs)}#${txn.intentId}#${txn.txnRef}`,
});
const lateKey = (txnRef: string) => ({ pk: VNPAY_LATE_PARTITION, sk: txnRef });

/** The txnRef mapping as stored. */
export interface VnpayTxn {
  txnRef: string;
  intentId: string;
  /** Whole VND. */
  amount: number;
  /** `vnp_CreateDate` as sent (querydr/refund's TransactionDate). */
  createDate: string;
  windowEndMs: number;
}

const txnOf = (item: Record<string, unknown>): VnpayTxn => ({
  txnRef: item.txnRef as string,
  intentId: item.intentId as string,
  amount: item.amount as number,
  createDate: item.createDate as string,
  windowEndMs: item.windowEndMs as number,
});

/** A new attempt's mapping (must not exist yet) and its pending marker. */
export function putTxnAndMarker(txn: VnpayTxn): TransactItem[] {
  const { tableName: TableName } = db();
  return [
    {
      Put: {
        TableName,
        Item: { ...txnKey(txn.txnRef), type: 'vnpay_txn', ...txn },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName, Item: { ...pendingKey(txn), type: 'vnpay_pending', ...txn } } },
  ];
}

/** Deletes an attempt's pending marker (in the transaction that settles it). */
export function deleteMarker(txn: VnpayTxn): TransactItem {
  return { Delete: { TableName: db().tableName, Key: pendingKey(txn) } };
}

/** An attempt by its txnRef. */
export async function getTxn(txnRef: string): Promise<VnpayTxn | undefined> {
  const item = await getConsistent(txnKey(txnRef));
  return item ? txnOf(item) : undefined;
}

/** Up to `limit` markers of one shard whose window ended by `now`, oldest first. */
export async function dueMarkers(shard: string, now: Date, limit: number): Promise<VnpayTxn[]> {
  const items = await queryAll(
    {
      KeyConditionExpression: 'pk = :pk AND sk < :upper',
      // Fixed-width times: every sk starting with a time ≤ now sorts below the next millisecond.
      ExpressionAttributeValues: {
        ':pk': shardKey(VNPAY_PENDING_PARTITION, shard),
        ':upper': markerTime(now.getTime() + 1),
      },
    },
    { max: limit },
  );
  return items.map(txnOf);
}

/** Records a late payment once per txnRef: false when it is recorded already. */
export async function putLatePayment(late: VnpayLatePayment): Promise<boolean> {
  return putIfAbsent({ ...lateKey(late.txn_ref), type: 'vnpay_late_payment', state: late.state, data: late });
}

export async function getLatePayment(txnRef: string): Promise<VnpayLatePayment | undefined> {
  return (await getConsistent(lateKey(txnRef)))?.data as VnpayLatePayment | undefined;
}

export async function listLatePayments(): Promise<VnpayLatePayment[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': VNPAY_LATE_PARTITION },
  });
  return items.map((item) => item.data as VnpayLatePayment);
}

/** Moves a late payment from one of `from` to `next`; false when another run moved it first. */
export async function moveLatePayment(
  txnRef: string,
  from: VnpayLatePayment['state'][],
  next: VnpayLatePayment,
): Promise<boolean> {
  const { doc, tableName } = db();
  const values = Object.fromEntries(from.map((state, i) => [`:from${i}`, state]));
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: lateKey(txnRef),
        UpdateExpression: 'SET #state = :next, #data = :data',
        ConditionExpression: `#state IN (${Object.keys(values).join(', ')})`,
        ExpressionAttributeNames: { '#state': 'state', '#data': 'data' },
        ExpressionAttributeValues: { ...values, ':next': next.state, ':data': next },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
