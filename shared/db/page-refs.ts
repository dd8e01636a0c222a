/**
 * What the storefront invalidation needs to name a changed item's pages: a product's slug,
 * category and producer, a producer's slug (two projected GetItems, no catalog load).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { keys } from './items.ts';

async function project(key: { pk: string; sk: string }, attributes: string[]) {
  const { doc, tableName } = db();
  const { Item } = await doc.send(
    new GetCommand({
      TableName: tableName,
      Key: key,
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
    }),
  );
  return Item;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export async function productPageRef(
  productId: string,
): Promise<{ slug: string; category: string; producerId: string } | undefined> {
  const item = await project(keys.product(productId), ['slug', 'category', 'producerId']);
  const [slug, category, producerId] = [text(item?.slug), text(item?.category), text(item?.producerId)];
  return slug && category && producerId ? { slug, category, producerId } : undefined;
}

export async function producerSlug(producerId: string): Promise<string | undefined> {
  return text((await project(keys.producer(producerId), ['slug']))?.slug);
}
