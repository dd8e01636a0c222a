/**
 * Sales kept for the market panel, added to when a sub-order is delivered, in the same
 * transaction that moves it (shared/orders/lifecycle.ts `changeOrder`): a delivery is counted
 * exactly once, and a lost race counts nothing.
 *
 *   MKT#<category>#<m> / DAY#<day>             market_day   grams sold per price bucket (b<i>),
 *                                                           the sellers (a string set) and the
 *                                                           total grams, of every weighed line of
 *                                                           that category delivered that day
 *   MKTSELLER#<producer> / DAY#<day>#<category> seller_day  the same buckets for one seller's own
 *                                                           lines, plus units (u#<product>) and
 *                                                           revenue (r#<product>) of each product
 *
 * `<m>` is one of MARKET_SHARDS shards, from a hash of the order code and fulfiller: a popular
 * grade's deliveries spread over 8 partitions instead of one, and the panel reads 8 ranges of at
 * most 90 days. A seller's own partition takes only its own deliveries. Days are Vietnamese days.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { queryAll, type TransactItem } from './items.ts';
import { shardOf } from './shards.ts';

/** Shards of each category's market partition. */
export const MARKET_SHARDS = 8;

const marketKey = (category: string, shard: number) => `MKT#${category}#${shard}`;
const sellerKey = (producerId: string) => `MKTSELLER#${producerId}`;

/** The market shard of a delivered part (its order code and fulfiller). */
export const marketShardOf = (partId: string): number => Number(shardOf(partId)) % MARKET_SHARDS;

/** One seller's delivered lines of one category on one day, summed. */
export interface SellerDaySale {
  day: string;
  category: string;
  producerId: string;
  /** The market shard the delivery is counted in. */
  shard: number;
  /** Grams sold per price bucket (weighed packs only). */
  buckets: Map<number, number>;
  /** Units and revenue per product. */
  products: Map<string, { units: number; revenue: number }>;
}

/**
 * The updates that add delivered sales to the market and seller partitions, one per item (a
 * transaction may not touch an item twice: sales sharing a key are added up first).
 */
export function addSalesItems(sales: readonly SellerDaySale[]): TransactItem[] {
  const TableName = db().tableName;
  const market = new Map<
    string,
    { key: { pk: string; sk: string }; buckets: Map<number, number>; sellers: Set<string> }
  >();
  const seller = new Map<string, { key: { pk: string; sk: string }; sale: SellerDaySale }>();
  const addBuckets = (into: Map<number, number>, from: Map<number, number>) => {
    for (const [b, g] of from) into.set(b, (into.get(b) ?? 0) + g);
  };
  for (const sale of sales) {
    if (sale.buckets.size > 0) {
      const key = { pk: marketKey(sale.category, sale.shard), sk: `DAY#${sale.day}` };
      const id = `${key.pk}|${key.sk}`;
      const entry = market.get(id) ?? { key, buckets: new Map(), sellers: new Set<string>() };
      addBuckets(entry.buckets, sale.buckets);
      entry.sellers.add(sale.producerId);
      market.set(id, entry);
    }
    const key = { pk: sellerKey(sale.producerId), sk: `DAY#${sale.day}#${sale.category}` };
    const id = `${key.pk}|${key.sk}`;
    const entry = seller.get(id);
    if (!entry) {
      seller.set(id, {
        key,
        sale: { ...sale, buckets: new Map(sale.buckets), products: new Map(sale.products) },
      });
    } else {
      addBuckets(entry.sale.buckets, sale.buckets);
      for (const [productId, p] of sale.products) {
        const had = entry.sale.products.get(productId) ?? { units: 0, revenue: 0 };
        entry.sale.products.set(productId, { units: had.units + p.units, revenue: had.revenue + p.revenue });
      }
    }
  }
  const update = (
    key: { pk: string; sk: string },
    type: string,
    adds: [string, number | Set<string>][],
    extra: Record<string, string> = {},
  ): TransactItem => {
    const names: Record<string, string> = { '#type': 'type' };
    const values: Record<string, unknown> = { ':type': type };
    const parts = adds.map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      return `#a${i} :a${i}`;
    });
    const sets = ['#type = :type'];
    for (const [name, value] of Object.entries(extra)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    return {
      Update: {
        TableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')} ADD ${parts.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  };
  const bucketAdds = (buckets: Map<number, number>): [string, number][] => [
    ['grams', [...buckets.values()].reduce((n, g) => n + g, 0)],
    ...[...buckets].map(([b, g]): [string, number] => [`b${b}`, g]),
  ];
  return [
    ...[...market.values()].map(({ key, buckets, sellers }) =>
      update(key, 'market_day', [...bucketAdds(buckets), ['sellers', sellers]]),
    ),
    ...[...seller.values()].map(({ key, sale }) =>
      update(
        key,
        'seller_day',
        [
          ...(sale.buckets.size > 0 ? bucketAdds(sale.buckets) : []),
          ...[...sale.products].flatMap(([productId, p]): [string, number][] => [
            [`u#${productId}`, p.units],
            [`r#${productId}`, p.revenue],
          ]),
        ],
        { category: sale.category, day: sale.day },
      ),
    ),
  ];
}

/** A stored day: its buckets and, for the market, its sellers. */
export interface StoredDay {
  day: string;
  category: string;
  buckets: Map<number, number>;
  sellers: string[];
  products: Map<string, { units: number; revenue: number }>;
}

function readDay(item: Record<string, unknown>, category: string): StoredDay {
  const buckets = new Map<number, number>();
  const products = new Map<string, { units: number; revenue: number }>();
  for (const [name, value] of Object.entries(item)) {
    if (/^b\d+$/.test(name)) buckets.set(Number(name.slice(1)), Number(value));
    else if (name.startsWith('u#') || name.startsWith('r#')) {
      const productId = name.slice(2);
      const had = products.get(productId) ?? { units: 0, revenue: 0 };
      if (name.startsWith('u#')) had.units += Number(value);
      else had.revenue += Number(value);
      products.set(productId, had);
    }
  }
  const sellers = item.sellers instanceof Set ? [...(item.sellers as Set<string>)] : [];
  return { day: String(item.sk).slice(4, 14), category, buckets, sellers, products };
}

/** Every shard's days of a category from `from` to `to` (inclusive, YYYY-MM-DD). */
export async function marketDays(category: string, from: string, to: string): Promise<StoredDay[]> {
  const shards = Array.from({ length: MARKET_SHARDS }, (_, i) => i);
  const pages = await Promise.all(
    shards.map((shard) =>
      queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': marketKey(category, shard),
          ':from': `DAY#${from}`,
          ':to': `DAY#${to}`,
        },
      }),
    ),
  );
  return pages.flat().map((item) => readDay(item, category));
}

/** A seller's own days (every category) from `from` to `to` (inclusive). */
export async function sellerDays(producerId: string, from: string, to: string): Promise<StoredDay[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': sellerKey(producerId),
      ':from': `DAY#${from}`,
      ':to': `DAY#${to}#\uffff`,
    },
  });
  return items.map((item) => readDay(item, String(item.category)));
}

/** The category of each product (the products that still exist), read at delivery. */
export async function categoriesOf(productIds: readonly string[]): Promise<Map<string, string>> {
  const { doc, tableName } = db();
  const out = new Map<string, string>();
  const ids = [...new Set(productIds)];
  for (let i = 0; i < ids.length; i += 100) {
    let request: Record<string, unknown>[] | undefined = ids
      .slice(i, i + 100)
      .map((id) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' }));
    for (let attempt = 0; request && request.length > 0 && attempt < 5; attempt++) {
      const res = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: request, ProjectionExpression: 'id, category' },
          },
        }),
      );
      for (const item of res.Responses?.[tableName] ?? []) out.set(String(item.id), String(item.category));
      request = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}
