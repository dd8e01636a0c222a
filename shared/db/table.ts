/**
 * The exchange's single DynamoDB table, defined once. The CDK data stack and the local runtime
 * both build the table from this object, so keys, indexes and TTL can never drift apart.
 *
 * Item layout (pk / sk):
 *   PRODUCER#<id>  / PRODUCER                 a household, cooperative or enterprise
 *   PRODUCT#<id>   / PRODUCT                  a listing
 *   PRODUCT#<id>   / VARIANT#<variantId>      a pack (grams or unit, price, stock)
 *   PRODUCT#<id>   / OCOP#<certificateId>     the product's OCOP certificate(s)
 *   PRODUCT#<id>   / LOT#<lotId>              a harvest lot with its trace code
 * All five are in the `catalog` index (products once first published) under
 *   CATALOG#<shard> / <ISO time of last change>#<type>#<id>     (items.ts catalogShard, catalogSort)
 * Written by every order, so sharded (`<shard>` = 00…31 from a hash of the item's id, shards.ts):
 *   ORDEREXP#<shard>     / <payBy>#<code>        unpaid online orders by expiry time (orders.ts)
 *   EVENTS#<shard>       / EVT#<evt id>          payment events, time-ordered (payments/keys.ts)
 *   OUTBOX#<shard>       / EVT#<evt id>          webhook deliveries; while due also on byOwner as
 *                                                OUTBOX#DUE#<shard> / <next attempt>#<evt id>
 *   VNPAYPENDING#<shard> / <windowEnd>#<pi>#<ref> payments waiting for VNPay (vnpay/provider.ts)
 */
export interface IndexDefinition {
  /** Index name as DynamoDB sees it. */
  name: string;
  partitionKey: string;
  sortKey: string;
  /** Why the index exists: the access pattern it serves. */
  servesAccessPattern: string;
}

export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  indexes: readonly IndexDefinition[];
}

export const TABLE: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  // Idempotency keys, sign-in codes and payment sessions expire through this attribute.
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    {
      name: 'byPublicId',
      partitionKey: 'publicId',
      sortKey: 'publicIdKind',
      servesAccessPattern:
        'Look up a product or producer by its URL slug, or a lot by its printed trace code.',
    },
    {
      name: 'byOwner',
      partitionKey: 'ownerKey',
      sortKey: 'ownerSort',
      servesAccessPattern:
        "List a producer's products (newest first), a cooperative's member households and sub-orders, and the webhook events still due (sparse, by next attempt).",
    },
    {
      name: 'catalog',
      partitionKey: 'catalogKey',
      sortKey: 'catalogSort',
      servesAccessPattern:
        "Everything a shopper can see, in 32 shards (`CATALOG#00`…`CATALOG#31`: a product's items by its id, a producer by its own), each ordered by last change (`<ISO time>#<type>#<id>`): the catalog read model loads every shard once, then reads only each shard's changes since its last read. Producers, products once published (kept with their status when they leave the shop), packs (stock moves re-sort them), OCOP certificates and lots.",
    },
    {
      name: 'reviewQueue',
      partitionKey: 'reviewKey',
      sortKey: 'reviewSort',
      servesAccessPattern:
        "A reviewer's queue: listings in review for a cooperative's manager or for admins, and certificates awaiting verification (sparse: only items waiting).",
    },
  ],
} as const;

/** Default table name; deployments pass TABLE_NAME. */
export const DEFAULT_TABLE_NAME = 'tn-exchange';

/** Every key attribute used by the table or its indexes (all strings). */
export function keyAttributes(def: TableDefinition = TABLE): string[] {
  const names = new Set<string>([def.partitionKey, def.sortKey]);
  for (const index of def.indexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names];
}
