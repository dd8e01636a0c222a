/**
 * Pre-order windows in the table:
 *   PREORDER#<id> / WINDOW                  preorder_window   byOwner PREORDERS / <closesOn>#<id>
 *                                                              (written when a window opens and when it
 *                                                              is allocated: a few a season, never per order)
 *   PREORDER#<id> / HOLD                    preorder_hold     grams left of the total, packs held per pack
 *   PREORDER#<id> / HH#<producerId>         preorder_household grams left of one household's quota
 *   PREORDER#<id> / RES#<reserved>#<code>   preorder_reservation a reservation (an order) of the window,
 *                                                              in the order reserved (allocation reads them)
 *   PREORDERDUE#<shard> / <dueMs>#<code>    preorder_balance_due an online balance not yet paid, by the end
 *                                                              of its grace period (sharded like ORDEREXP)
 * A reservation holds its grams with two conditional updates (`leftGrams >= :g` on the window and
 * on one household) in the order's own transaction; cancelling or expiring gives them back in the
 * transaction that moves the order, so a hold is released exactly once.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PreorderHolds, PreorderWindow } from '../preorders/model.ts';
import { db } from './client.ts';
import { queryAll, type TransactItem } from './items.ts';
import { shardedKey, shardKey } from './shards.ts';

export const PREORDER_DUE_PARTITION = 'PREORDERDUE';
const WINDOWS_OWNER = 'PREORDERS';

export const preorderKeys = {
  window: (id: string) => ({ pk: `PREORDER#${id}`, sk: 'WINDOW' }),
  hold: (id: string) => ({ pk: `PREORDER#${id}`, sk: 'HOLD' }),
  household: (id: string, producerId: string) => ({ pk: `PREORDER#${id}`, sk: `HH#${producerId}` }),
  reservation: (id: string, reservedAt: string, code: string) => ({
    pk: `PREORDER#${id}`,
    sk: `RES#${reservedAt}#${code}`,
  }),
  due: (dueMs: number, code: string) => ({
    pk: shardedKey(PREORDER_DUE_PARTITION, code),
    sk: `${String(dueMs).padStart(15, '0')}#${code}`,
  }),
};

const windowItem = (window: PreorderWindow) => ({
  ...preorderKeys.window(window.id),
  type: 'preorder_window',
  ownerKey: WINDOWS_OWNER,
  ownerSort: `${window.closesOn}#${window.id}`,
  ...window,
});

const stripWindow = (item: Record<string, unknown>): PreorderWindow => {
  const { pk: _pk, sk: _sk, type: _t, ownerKey: _ok, ownerSort: _os, ...rest } = item;
  return rest as unknown as PreorderWindow;
};

/** The writes that open a window: the window, its hold and one quota per household. */
export function createWindowItems(window: PreorderWindow): TransactItem[] {
  const TableName = db().tableName;
  const cond = 'attribute_not_exists(pk)';
  return [
    { Put: { TableName, Item: windowItem(window), ConditionExpression: cond } },
    {
      Put: {
        TableName,
        Item: {
          ...preorderKeys.hold(window.id),
          type: 'preorder_hold',
          leftGrams: window.totalGrams,
          packCounts: Object.fromEntries(window.packs.map((p) => [p.id, 0])),
        },
        ConditionExpression: cond,
      },
    },
    ...window.households.map((h): TransactItem => ({
      Put: {
        TableName,
        Item: {
          ...preorderKeys.household(window.id, h.producerId),
          type: 'preorder_household',
          producerId: h.producerId,
          quotaGrams: h.quotaGrams,
          leftGrams: h.quotaGrams,
        },
        ConditionExpression: cond,
      },
    })),
  ];
}

export interface ReservationRef {
  code: string;
  householdId: string;
  reservedAt: string;
}

export interface WindowRecord {
  window: PreorderWindow;
  holds: PreorderHolds;
}

/**
 * The sort keys below the reservations: `HH#…` and `HOLD` sort before `RES#…` (and `WINDOW`
 * after), so `sk < 'RES#'` reads the holds and none of the reservations.
 */
export const HOLDS_BELOW = 'RES#';

/** A window alone, read consistently. */
export async function getWindow(id: string): Promise<PreorderWindow | undefined> {
  const { doc, tableName } = db();
  const found = await doc.send(
    new GetCommand({ TableName: tableName, Key: preorderKeys.window(id), ConsistentRead: true }),
  );
  return found.Item ? stripWindow(found.Item) : undefined;
}

/**
 * A window with its holds, read consistently: the window item and the items sorted before the
 * reservations (the hold and one per household: a few dozen at most), never the reservations,
 * which may be thousands (`listReservationRefs` reads them where they are needed).
 */
export async function getWindowRecord(id: string): Promise<WindowRecord | undefined> {
  const [window, items] = await Promise.all([
    getWindow(id),
    queryAll({
      KeyConditionExpression: 'pk = :pk AND sk < :res',
      ExpressionAttributeValues: { ':pk': `PREORDER#${id}`, ':res': HOLDS_BELOW },
      ConsistentRead: true,
    }),
  ]);
  if (!window) return undefined;
  const hold = items.find((i) => i.sk === 'HOLD');
  return {
    window,
    holds: {
      leftGrams: Number(hold?.leftGrams ?? 0),
      packCounts: (hold?.packCounts as Record<string, number>) ?? {},
      households: Object.fromEntries(
        items
          .filter((i) => String(i.sk).startsWith('HH#'))
          .map((i) => [String(i.producerId), Number(i.leftGrams)]),
      ),
    },
  };
}

/** A window's reservations, oldest first, read consistently page by page (allocation, the board). */
export async function listReservationRefs(id: string): Promise<ReservationRef[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :res)',
    ExpressionAttributeValues: { ':pk': `PREORDER#${id}`, ':res': 'RES#' },
    ConsistentRead: true,
  });
  return items.map((i) => ({
    code: String(i.code),
    householdId: String(i.householdId),
    reservedAt: String(i.reservedAt),
  }));
}

/** Every window that closes on or after `fromDay` (YYYY-MM-DD), soonest closing first. */
export async function listWindows(fromDay: string): Promise<PreorderWindow[]> {
  const items = await queryAll({
    IndexName: 'byOwner',
    KeyConditionExpression: 'ownerKey = :k AND ownerSort >= :from',
    ExpressionAttributeValues: { ':k': WINDOWS_OWNER, ':from': fromDay },
  });
  return items.map(stripWindow);
}

/** The holds of several windows (one consistent read each; a page of windows is short). */
export async function getHolds(ids: readonly string[]): Promise<Map<string, PreorderHolds>> {
  const records = await Promise.all(ids.map((id) => getWindowRecord(id)));
  return new Map(records.flatMap((r) => (r ? [[r.window.id, r.holds] as const] : [])));
}

/** Holds `grams` (and the packs) against the window's total and one household's quota. */
export function holdItems(
  windowId: string,
  householdId: string,
  grams: number,
  packs: Record<string, number>,
): TransactItem[] {
  return moveHold(windowId, householdId, grams, packs, 'take');
}

/** Gives a reservation's hold back (cancelled, expired, lapsed, or the part not allocated). */
export function releaseHoldItems(
  windowId: string,
  householdId: string,
  grams: number,
  packs: Record<string, number>,
): TransactItem[] {
  return moveHold(windowId, householdId, grams, packs, 'give');
}

function moveHold(
  windowId: string,
  householdId: string,
  grams: number,
  packs: Record<string, number>,
  way: 'take' | 'give',
): TransactItem[] {
  const TableName = db().tableName;
  const sign = way === 'take' ? '-' : '+';
  const packIds = Object.keys(packs);
  const packSet = packIds.map(
    (id, i) => `packCounts.#p${i} = packCounts.#p${i} ${way === 'take' ? '+' : '-'} :n${i}`,
  );
  return [
    {
      Update: {
        TableName,
        Key: preorderKeys.hold(windowId),
        UpdateExpression: `SET leftGrams = leftGrams ${sign} :g${packSet.length ? `, ${packSet.join(', ')}` : ''}`,
        ConditionExpression: way === 'take' ? 'leftGrams >= :g' : 'attribute_exists(pk)',
        ...(packIds.length
          ? { ExpressionAttributeNames: Object.fromEntries(packIds.map((id, i) => [`#p${i}`, id])) }
          : {}),
        ExpressionAttributeValues: {
          ':g': grams,
          ...Object.fromEntries(packIds.map((id, i) => [`:n${i}`, packs[id]!])),
        },
      },
    },
    {
      Update: {
        TableName,
        Key: preorderKeys.household(windowId, householdId),
        UpdateExpression: `SET leftGrams = leftGrams ${sign} :g`,
        ConditionExpression: way === 'take' ? 'leftGrams >= :g' : 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':g': grams },
      },
    },
  ];
}

/** The reservation's place in its window (written with the order). */
export function putReservationRef(windowId: string, ref: ReservationRef): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: {
        ...preorderKeys.reservation(windowId, ref.reservedAt, ref.code),
        type: 'preorder_reservation',
        ...ref,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Marks the window allocated (once: a second allocation finds it set). */
export function markAllocatedItem(windowId: string, at: string): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: preorderKeys.window(windowId),
      UpdateExpression: 'SET allocatedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(allocatedAt)',
      ExpressionAttributeValues: { ':at': at },
    },
  };
}

export function putBalanceDue(dueMs: number, code: string): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...preorderKeys.due(dueMs, code), type: 'preorder_balance_due', code },
    },
  };
}

export function deleteBalanceDue(dueMs: number, code: string): TransactItem {
  return { Delete: { TableName: db().tableName, Key: preorderKeys.due(dueMs, code) } };
}

/** One shard's balances past their grace period by `nowMs`, oldest first. */
export async function dueBalances(
  shard: string,
  nowMs: number,
  limit = 50,
): Promise<{ code: string; dueMs: number }[]> {
  const { doc, tableName } = db();
  const page = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk <= :now',
      ExpressionAttributeValues: {
        ':pk': shardKey(PREORDER_DUE_PARTITION, shard),
        ':now': `${String(nowMs).padStart(15, '0')}#\uffff`,
      },
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((i) => ({ code: String(i.code), dueMs: Number(String(i.sk).split('#')[0]) }));
}
