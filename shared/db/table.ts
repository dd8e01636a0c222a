/**
 * The exchange's single DynamoDB table, defined once. The CDK data stack and the local runtime
 * both build the table from this object, so keys, indexes and TTL can never drift apart.
 *
 * Item map: every item kind, its keys, and the one file under shared/db/ that reads and writes
 * it (nothing outside shared/db/ talks to the table: tests/unit/storage-boundary.test.ts).
 * `<shard>` = 00…31 from a hash of the item's id (shards.ts): keys written by every order are
 * sharded so no partition takes more than about a thirty-second of their writes.
 *
 * Catalog (products.ts, producers.ts, listings.ts, photos.ts; key builders in items.ts)
 *   PRODUCER#<id> / PRODUCER            producer      byPublicId PRODUCER#<slug>; a member household
 *                                                     also byOwner COOP#<coop> / MEMBER#<status>#<id>
 *   PRODUCER#<id> / SHIPPING            shipping_rules                          (orders.ts)
 *   PRODUCT#<id>  / PRODUCT             product       byPublicId PRODUCT#<slug>; byOwner
 *                                                     PRODUCER#<seller> / PRODUCT#<created>#<id>;
 *                                                     in review: reviewQueue REVIEW#admin |
 *                                                     REVIEW#cooperative#<coop> / <updated>#<id>
 *   PRODUCT#<id>  / VARIANT#<variantId> variant       byPublicId VARIANT#<variantId> (a pack)
 *   PRODUCT#<id>  / OCOP#<certId>       ocop          awaiting an admin: reviewQueue REVIEW#certificates
 *   PRODUCT#<id>  / LOT#<lotId>         lot           byPublicId LOT#<trace code>
 *   PRODUCT#<id>  / PHOTO#<photoId>     photo                                   (photos.ts)
 *   PRODUCT#<id>  / STOCK#<at>#<id>     stock_change  stock history             (listings.ts)
 *   SLUG#<kind>#<slug> / SLUG           slug          claims a producer or product address (items.ts)
 *   PRODUCT#<id>  / STATS               product_stats rating count and sum, units sold (product-stats.ts);
 *                                                     in the product's catalog shard like its packs
 * Producers, products once first published, packs, certificates and lots are also in the
 * `catalog` index under CATALOG#<shard> / <ISO time of last change>#<type>#<id> (items.ts
 * catalogShard, catalogSort; read by catalog-input.ts and catalog-read-model.ts).
 *
 * People and trails
 *   ACCOUNT#<sub> / ACCOUNT             account                                 (accounts.ts)
 *   PHONE#<phone> / ACCOUNT             phone         a phone's account         (accounts.ts)
 *   SIGNIN#<phone> / CODE               sign_in_code  TTL 5 min                 (sign-in-codes.ts)
 *   SIGNIN#<phone> / COGNITO_SESSION    cognito_session TTL 3 min               (sign-in-codes.ts)
 *   IDSTATE#<state> / STATE             identity_state  OIDC request (PKCE, nonce), TTL 10 min, single use (identity-links.ts)
 *   IDLINK#<iss>#<sub> / LINK           identity_link   a digital identity → its one account (identity-links.ts)
 *   CONSENT#<id>  / CONSENT             consent       proxy-listing consent, TTL 15 min (consents.ts)
 *   RATE#<scope>  / W#<window>          (counter)     fixed-window limits, TTL  (rate-limits.ts)
 *   AUDIT#<producer> / <at>#<id>        audit                                   (audit.ts)
 *   DEVINBOX      / <sent>#<id>         message       local dev inbox only, TTL; `channel` sms | zalo (dev-inbox.ts)
 *   NOTIFYPREF#<phone> / PREF           notification_pref  preferred channel sms | zalo (notification-prefs.ts)
 *   SENT#<key>    / CHANNEL#<sms|zalo>  sent_message  a notice's send per channel, TTL 7 days (sent-messages.ts)
 *   ZALO#OA       / TOKEN               zalo_token    the OA's access and rotating refresh token (zalo-token.ts)
 *
 * Orders (orders.ts)
 *   ORDER#<code>  / ORDER               order
 *   ORDER#<code>  / SUB#<fulfiller>     sub_order     byOwner FULFILLER#<id> / ORDER#<created>#<code>
 *   ORDEREXP#<shard> / <payBy>#<code>   order_expiry  unpaid online orders by expiry time
 *   ORDERIDEM#<key> / IDEM              order_idempotency  TTL 48 h             (idempotency.ts)
 *   SHIPMENT#<code>#<fulfiller> / CLAIM shipment_claim  one shipment per part; while in flight
 *                                                     also byOwner SHIPOPEN#<shard> / <claimed>#<client code> (shipments.ts)
 *   SHIPCODE#<carrier>#<code> / SHIPMENT shipment_code  a carrier's parcel code → its part  (shipments.ts)
 *   CODDUE#<fulfiller> / <code>         cod_due       COD a carrier collected, not yet paid out (shipments.ts)
 *   CODSTMT#<fulfiller> / <statement>   cod_statement an imported COD statement's result   (shipments.ts)
 *
 * Market panel (market-sales.ts, reference-prices.ts)
 *   MKT#<category>#<m> / DAY#<day>      market_day    grams per price bucket and sellers of a grade's
 *                                                     delivered lines; <m> 0…7 from the order code
 *   MKTSELLER#<producer> / DAY#<day>#<category>  seller_day  a seller's own buckets, units and revenue
 *   REFPRICE#<coop> / <category>#<from>#<setAt>#<id>  reference_price  kept as history
 * Reviews (reviews.ts, photos.ts)
 *   REVIEW#<id>   / REVIEW              review        while visible byOwner REVIEWS#<productId> / <created>#<id>
 *   REVIEWLINE#<order code>#<pack> / LINE  review_line  one review per delivered order line
 *   REVIEWPHOTO#<photoId> / PHOTO       photo         a review photo (ids `rv-…`), out of the product's partition
 * Pre-orders (preorders.ts)
 *   PREORDER#<id> / WINDOW              preorder_window  byOwner PREORDERS / <closesOn>#<id> (a few a season)
 *   PREORDER#<id> / HOLD                preorder_hold    grams left of the window's total, packs held
 *   PREORDER#<id> / HH#<household>      preorder_household  grams left of one household's quota
 *   PREORDER#<id> / RES#<at>#<code>     preorder_reservation  a reservation (an order) of the window
 *   PREORDERDUE#<shard> / <due>#<code>  preorder_balance_due  online balances by the end of their grace period
 *
 * Payments
 *   PI#<id>       / PI                  payment_intent  status + version        (payment-intents.ts)
 *   RE#<id>       / RE                  refund                                  (payment-intents.ts)
 *   IDEM#<key>    / IDEM                idempotency_key TTL 24 h                (idempotency.ts)
 *   EVENTS#<shard> / EVT#<evt id>       event         TTL 30 days               (payment-events.ts)
 *   WHSEEN#<scope>#<evt id> / WHSEEN    webhook_seen  receiver dedupe, TTL 7 days (payment-events.ts)
 *   OUTBOX#<shard> / EVT#<evt id>       outbox        while due also byOwner
 *                                                     OUTBOX#DUE#<shard> / <next attempt>#<evt id> (outbox.ts)
 *   VNPTXN#<txnRef> / TXN               vnpay_txn     a VNPay attempt           (vnpay-transactions.ts)
 *   VNPAYPENDING#<shard> / <windowEnd>#<pi>#<ref>  vnpay_pending  waiting for VNPay (vnpay-transactions.ts)
 *   VNPAYLATE     / <txnRef>            vnpay_late_payment                      (vnpay-transactions.ts)
 *   VQRMEMO#<code> / MEMO               vietqr_memo   memo code → intent        (vietqr-transfers.ts)
 *   VQRTX#<bank txn> / TRANSFER         vietqr_transfer                         (vietqr-transfers.ts)
 *   VQRTX#UNMATCHED / <received>#<bank txn>  vietqr_unmatched                   (vietqr-transfers.ts)
 * E-invoices (invoices.ts)
 *   PRODUCER#<id> / INVOICESETTINGS     invoice_settings  a seller's tax data, template, series, switch
 *   INVOICE#<code> / <fulfiller>#<kind> invoice       one per part and kind (ORIGINAL, ADJ#<ref>, CANCEL);
 *                                                     byOwner INVOICES#<fulfiller> / <created>#<code>#<kind>
 *   INVOICEDUE#<shard> / <code>#<fulfiller>#<kind>[@<trigger>]  invoice_due  work for the invoice lane
 * Programme statistics (stats.ts), kept from the table's stream
 *   STATS#<dimension>#<period> / <bucket>  stats_counter  counters added with ADD; <period> `all` or YYYY-MM
 *   STATSSOLD#<household> / SOLD        stats_sold    a household's first delivered sale was counted
 *   STATSSEQ#<pk>#<sk> / SEQ            stats_seq     last stream record of that item counted, TTL 2 days
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
        "List a producer's products (newest first), a cooperative's member households and sub-orders, the webhook events still due (sparse, by next attempt), and the carriers' shipments in flight (sparse, SHIPOPEN#<shard>).",
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
