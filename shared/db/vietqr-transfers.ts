/**
 * VietQR bank transfers and the memo codes that point at the intent they pay:
 *   VQRMEMO#<code>   / MEMO                   a memo code → the intent it pays
 *   VQRTX#<bank txn> / TRANSFER               a transfer seen by the bank notification (once)
 *   VQRTX#UNMATCHED  / <received>#<bank txn>  transfers waiting for a manager to match them
 */
import type { StoredTransfer } from '../payments/providers/vietqr-transfers.ts';
import { db } from './client.ts';
import { getConsistent } from './item-access.ts';
import { queryAll, type TransactItem } from './items.ts';
import { listPage } from './pages.ts';

const UNMATCHED_PARTITION = 'VQRTX#UNMATCHED';

const memoKey = (code: string) => ({ pk: `VQRMEMO#${code}`, sk: 'MEMO' });
const transferKey = (bankTransactionId: string) => ({ pk: `VQRTX#${bankTransactionId}`, sk: 'TRANSFER' });
const unmatchedKey = (transfer: StoredTransfer) => ({
  pk: UNMATCHED_PARTITION,
  sk: `${transfer.received_at}#${transfer.id}`,
});

/** The Put pointing a memo code at the intent that now receives its transfers. */
export function putMemo(code: string, intentId: string): TransactItem {
  return { Put: { TableName: db().tableName, Item: { ...memoKey(code), type: 'vietqr_memo', intentId } } };
}

/** The intent a memo code points at, if any. */
export async function intentOfMemo(code: string): Promise<string | undefined> {
  return (await getConsistent(memoKey(code)))?.intentId as string | undefined;
}

/** A transfer by its bank transaction id. */
export async function getTransfer(bankTransactionId: string): Promise<StoredTransfer | undefined> {
  return (await getConsistent(transferKey(bankTransactionId)))?.data as StoredTransfer | undefined;
}

/** The transfer record; new ones must not exist yet, a manual match expects it still unmatched. */
export function putTransfer(transfer: StoredTransfer, expectedState?: 'unmatched'): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...transferKey(transfer.id), type: 'vietqr_transfer', state: transfer.state, data: transfer },
      ...(expectedState
        ? {
            ConditionExpression: '#state = :expected',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':expected': expectedState },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

/** Puts a transfer on the unmatched list. */
export function putUnmatched(transfer: StoredTransfer): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...unmatchedKey(transfer), type: 'vietqr_unmatched', data: transfer },
    },
  };
}

/** Takes a transfer off the unmatched list. */
export function deleteUnmatched(transfer: StoredTransfer): TransactItem {
  return { Delete: { TableName: db().tableName, Key: unmatchedKey(transfer) } };
}

/** Transfers waiting for a manager, oldest first. */
export async function listUnmatchedTransfers(): Promise<StoredTransfer[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': UNMATCHED_PARTITION },
  });
  return items.map((item) => item.data as StoredTransfer);
}

/**
 * One page of the transfers waiting for a manager, oldest first, after `after` (the sort key the
 * previous page ended on; the API seals it into a cursor).
 */
export async function listUnmatchedTransfersPage(page: {
  limit: number;
  after?: string;
}): Promise<{ items: StoredTransfer[]; next: string | null }> {
  const found = await listPage(
    [{ partitionKey: 'pk', partitionValue: UNMATCHED_PARTITION, sortKey: 'sk', sortPrefix: '' }],
    { limit: page.limit, descending: false, ...(page.after !== undefined ? { after: page.after } : {}) },
  );
  return { items: found.items.map((item) => item.data as StoredTransfer), next: found.next };
}
