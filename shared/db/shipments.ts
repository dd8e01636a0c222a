/**
 * Shipments with the carriers in the table (the sub-order itself holds the `ShipmentRecord`):
 *   SHIPMENT#<code>#<fulfiller> / CLAIM   shipment_claim  one per order part: who may call the
 *                                         carrier (a lease), the attempt and its client code, and
 *                                         while the parcel is open (creating, or not yet delivered,
 *                                         returned or cancelled) also byOwner
 *                                         SHIPOPEN#<shard> / <claimedAt>#<clientCode>: the poller
 *                                         reads those shards instead of scanning
 *   SHIPCODE#<carrier>#<carrierCode> / SHIPMENT  shipment_code  a carrier's code → the order part
 *                                         (the carriers' events name their own code)
 *   CODDUE#<fulfiller> / <code>           cod_due  COD a carrier collected and has not paid out
 *   CODSTMT#<fulfiller> / <statementId>   cod_statement  an imported COD statement and its result
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CarrierId } from '../carriers/types.ts';
import { db } from './client.ts';
import { deleteItem, getConsistent, isConditionFailure, putIfAbsent } from './item-access.ts';
import { keys, type TransactItem } from './items.ts';
import { batchGetConsistent } from './orders.ts';
import { shardedKey, shardKey } from './shards.ts';

export const OPEN_SHIPMENTS = 'SHIPOPEN';

export type ClaimState = 'creating' | 'created' | 'closed' | 'cancelled';

export interface ShipmentClaim {
  orderCode: string;
  fulfillerId: string;
  carrier: CarrierId;
  shopId?: string;
  /** 1 for the first shipment of the part; a new one after a cancellation counts up. */
  attempt: number;
  clientCode: string;
  state: ClaimState;
  /** Until when (ms) the caller that took the claim alone may call the carrier. */
  leaseUntil: number;
  claimedAt: string;
  carrierCode?: string;
}

const claimKey = (code: string, fulfillerId: string) => ({
  pk: `SHIPMENT#${code}#${fulfillerId}`,
  sk: 'CLAIM',
});
const codeKey = (carrier: string, carrierCode: string) => ({
  pk: `SHIPCODE#${carrier}#${carrierCode}`,
  sk: 'SHIPMENT',
});
const codDueKey = (fulfillerId: string, code: string) => ({ pk: `CODDUE#${fulfillerId}`, sk: code });
const statementKey = (fulfillerId: string, statementId: string) => ({
  pk: `CODSTMT#${fulfillerId}`,
  sk: statementId,
});

const openIndex = (claim: Pick<ShipmentClaim, 'clientCode' | 'claimedAt'>) => ({
  ownerKey: shardedKey(OPEN_SHIPMENTS, claim.clientCode),
  ownerSort: `${claim.claimedAt}#${claim.clientCode}`,
});

function claimOf(item: Record<string, unknown> | undefined): ShipmentClaim | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ownerKey: _k, ownerSort: _s, ...rest } = item;
  return rest as unknown as ShipmentClaim;
}

export async function getClaim(code: string, fulfillerId: string): Promise<ShipmentClaim | undefined> {
  return claimOf(await getConsistent(claimKey(code, fulfillerId)));
}

/**
 * Takes the part's claim for a first shipment: a new claim item, only if there is none. False
 * when there is one already (read it and decide).
 */
export async function putNewClaim(claim: ShipmentClaim): Promise<boolean> {
  return putIfAbsent({
    ...claimKey(claim.orderCode, claim.fulfillerId),
    type: 'shipment_claim',
    ...claim,
    ...openIndex(claim),
  });
}

/**
 * Takes over a claim as it was read: a `creating` claim whose lease ran out (the same attempt and
 * client code, so the carrier finds the parcel if it made one), or a `cancelled` one (the next
 * attempt). False when someone else changed it since.
 */
export async function retakeClaim(before: ShipmentClaim, next: ShipmentClaim): Promise<boolean> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...claimKey(next.orderCode, next.fulfillerId),
          type: 'shipment_claim',
          ...next,
          ...openIndex(next),
        },
        ConditionExpression: '#state = :state AND attempt = :attempt AND leaseUntil = :lease',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': before.state,
          ':attempt': before.attempt,
          ':lease': before.leaseUntil,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The carrier did not answer: the claim stays `creating`, and anyone may retry at once. */
export async function releaseLease(claim: ShipmentClaim): Promise<void> {
  const { doc, tableName } = db();
  await doc
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: claimKey(claim.orderCode, claim.fulfillerId),
        UpdateExpression: 'SET leaseUntil = :zero',
        ConditionExpression: '#state = :creating AND attempt = :attempt AND leaseUntil = :lease',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':creating': 'creating',
          ':attempt': claim.attempt,
          ':lease': claim.leaseUntil,
        },
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** The carrier refused the parcel (nothing was made): the part may try again, as a new attempt. */
export async function refuseClaim(claim: ShipmentClaim): Promise<void> {
  const { doc, tableName } = db();
  await doc
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: claimKey(claim.orderCode, claim.fulfillerId),
        UpdateExpression: 'SET #state = :cancelled, leaseUntil = :zero REMOVE ownerKey, ownerSort',
        ConditionExpression: '#state = :creating AND attempt = :attempt AND leaseUntil = :lease',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':cancelled': 'cancelled',
          ':zero': 0,
          ':creating': 'creating',
          ':attempt': claim.attempt,
          ':lease': claim.leaseUntil,
        },
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * The writes that record a made shipment with the sub-order: the claim becomes `created` (only
 * from this attempt's `creating`), and the carrier's code points at the part.
 */
export function recordedClaimItems(claim: ShipmentClaim, carrierCode: string): TransactItem[] {
  const TableName = db().tableName;
  return [
    {
      Update: {
        TableName,
        Key: claimKey(claim.orderCode, claim.fulfillerId),
        UpdateExpression: 'SET #state = :created, carrierCode = :code, leaseUntil = :zero',
        ConditionExpression: '#state = :creating AND attempt = :attempt',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':created': 'created',
          ':code': carrierCode,
          ':zero': 0,
          ':creating': 'creating',
          ':attempt': claim.attempt,
        },
      },
    },
    {
      Put: {
        TableName,
        Item: {
          ...codeKey(claim.carrier, carrierCode),
          type: 'shipment_code',
          orderCode: claim.orderCode,
          fulfillerId: claim.fulfillerId,
          clientCode: claim.clientCode,
          ...(claim.shopId ? { shopId: claim.shopId } : {}),
        },
      },
    },
  ];
}

/**
 * The parcel is done (delivered, returned) or cancelled: it leaves the open index. A cancelled
 * claim may be taken again for a new shipment.
 */
export function closeClaimItem(
  code: string,
  fulfillerId: string,
  state: 'closed' | 'cancelled',
): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: claimKey(code, fulfillerId),
      UpdateExpression: 'SET #state = :state REMOVE ownerKey, ownerSort',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state },
    },
  };
}

export interface ShipmentCode {
  orderCode: string;
  fulfillerId: string;
  clientCode: string;
  shopId?: string;
}

/** The order part a carrier's code belongs to, if the exchange made that shipment. */
export async function findShipmentCode(
  carrier: string,
  carrierCode: string,
): Promise<ShipmentCode | undefined> {
  const Item = await getConsistent(codeKey(carrier, carrierCode));
  if (!Item) return undefined;
  return {
    orderCode: Item.orderCode as string,
    fulfillerId: Item.fulfillerId as string,
    clientCode: Item.clientCode as string,
    ...(Item.shopId ? { shopId: Item.shopId as string } : {}),
  };
}

/** One page of a shard of open shipments, oldest claim first. */
export async function openShipmentsPage(
  shard: string,
  options: { limit: number; after?: Record<string, unknown> },
): Promise<{ claims: ShipmentClaim[]; next?: Record<string, unknown> }> {
  const { doc, tableName } = db();
  const page = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerKey = :k',
      ExpressionAttributeValues: { ':k': shardKey(OPEN_SHIPMENTS, shard) },
      Limit: options.limit,
      ...(options.after ? { ExclusiveStartKey: options.after } : {}),
    }),
  );
  return {
    claims: (page.Items ?? []).map((i) => claimOf(i)!),
    ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
  };
}

/* ---------- COD a carrier owes ---------- */

export interface CodDue {
  orderCode: string;
  carrier: CarrierId;
  carrierCode: string;
  /** What the carrier collected (or was to collect), VND. */
  expected: number;
  deliveredAt: string;
}

export function putCodDueItem(fulfillerId: string, due: CodDue): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...codDueKey(fulfillerId, due.orderCode), type: 'cod_due', ...due },
    },
  };
}

export function deleteCodDueItem(fulfillerId: string, orderCode: string): TransactItem {
  return { Delete: { TableName: db().tableName, Key: codDueKey(fulfillerId, orderCode) } };
}

/** Every COD amount a carrier still owes the fulfiller (one small partition per fulfiller). */
export async function listCodDue(fulfillerId: string): Promise<CodDue[]> {
  const { doc, tableName } = db();
  const out: CodDue[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CODDUE#${fulfillerId}` },
        ConsistentRead: true,
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    for (const i of page.Items ?? []) {
      out.push({
        orderCode: i.orderCode as string,
        carrier: i.carrier as CarrierId,
        carrierCode: i.carrierCode as string,
        expected: i.expected as number,
        deliveredAt: i.deliveredAt as string,
      });
    }
    after = page.LastEvaluatedKey;
  } while (after);
  return out;
}

/* ---------- imported COD statements ---------- */

export async function getCodStatement<T>(fulfillerId: string, statementId: string): Promise<T | undefined> {
  return (await getConsistent(statementKey(fulfillerId, statementId)))?.result as T | undefined;
}

/** Records an imported statement's result; false when the same statement was recorded already. */
export async function putCodStatement(
  fulfillerId: string,
  statementId: string,
  result: unknown,
): Promise<boolean> {
  return putIfAbsent({ ...statementKey(fulfillerId, statementId), type: 'cod_statement', result });
}

/** Forgets a statement record (tests and a failed import's clean-up). */
export async function deleteCodStatement(fulfillerId: string, statementId: string): Promise<void> {
  await deleteItem(statementKey(fulfillerId, statementId));
}

/** The grams of these packs (weighed packs only), for a parcel's weight when a line lacks them. */
export async function gramsOfVariants(
  lines: readonly { productId: string; variantId: string }[],
): Promise<Map<string, number>> {
  const items = await batchGetConsistent(lines.map((l) => keys.variant(l.productId, l.variantId)));
  const out = new Map<string, number>();
  for (const item of items) {
    if (typeof item.grams === 'number') out.set(String(item.sk).slice('VARIANT#'.length), item.grams);
  }
  return out;
}
