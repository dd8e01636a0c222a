/**
 * Where a pack belongs, read by the pack's id alone: checkout's look-up. Kept apart from the
 * product repository (products.ts), whose listing writes need the commune names and search
 * fields, so that the orders function does not bundle them.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Variant } from '../domain/product.ts';
import { db } from './client.ts';
import { findByPublicId, keys } from './items.ts';

/**
 * Which product and seller a pack belongs to (one byPublicId Query and one GetItem). Neither ever
 * changes for a pack, so callers may cache the answer for good.
 */
export async function placeOfVariant(
  variantId: string,
): Promise<{ productId: string; producerId: string } | undefined> {
  const variant = await findByPublicId<Variant>(keys.publicId.variant(variantId));
  if (!variant) return undefined;
  const { doc, tableName } = db();
  const { Item } = await doc.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.product(variant.productId),
      ProjectionExpression: 'producerId',
    }),
  );
  const producerId = Item?.producerId as string | undefined;
  return producerId ? { productId: variant.productId, producerId } : undefined;
}
