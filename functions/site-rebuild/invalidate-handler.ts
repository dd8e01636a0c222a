/**
 * Lambda entry: the table's stream (filtered to catalog items, batched a few seconds) → one
 * CloudFront invalidation of exactly the storefront paths the changes make stale (invalidate.ts).
 * Pages are rendered on request, so nothing is rebuilt: the next request renders the new page.
 * A failed call (CloudFront's in-progress limits, a throttle) fails the batch, which the event
 * source retries; the pages' own short CDN lifetime bounds staleness meanwhile.
 */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { pathsToInvalidate, type CatalogLookup } from './invalidate.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const config = {
  distributionId: required('DISTRIBUTION_ID'),
  tableName: required('TABLE_NAME'),
};
const cloudFront = new CloudFrontClient({});
const dynamodb = new DynamoDBClient({});

async function getItem(pk: string, sk: string, attributes: string[]) {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: config.tableName,
      Key: { pk: { S: pk }, sk: { S: sk } },
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
    }),
  );
  return Item;
}

const lookup: CatalogLookup = {
  async product(productId) {
    const item = await getItem(`PRODUCT#${productId}`, 'PRODUCT', ['slug', 'category', 'producerId']);
    const [slug, category, producerId] = [item?.slug?.S, item?.category?.S, item?.producerId?.S];
    return slug && category && producerId ? { slug, category, producerId } : undefined;
  },
  async producerSlug(producerId) {
    return (await getItem(`PRODUCER#${producerId}`, 'PRODUCER', ['slug']))?.slug?.S;
  },
};

export const handler = async (event: DynamoDBStreamEvent) => {
  const paths = await pathsToInvalidate(event.Records, lookup);
  if (paths.length === 0) return { result: 'unchanged', records: event.Records.length };
  const first = event.Records[0]?.dynamodb?.SequenceNumber ?? '';
  const last = event.Records.at(-1)?.dynamodb?.SequenceNumber ?? '';
  // The same batch retried gives the same reference: CloudFront then answers with the first one.
  const { Invalidation } = await cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: config.distributionId,
      InvalidationBatch: {
        CallerReference: `stream-${first}-${last}`.slice(0, 128),
        Paths: { Quantity: paths.length, Items: paths },
      },
    }),
  );
  const outcome = { result: 'invalidated', id: Invalidation?.Id, paths };
  console.info(JSON.stringify({ level: 'info', message: 'storefront invalidation', ...outcome }));
  return outcome;
};
