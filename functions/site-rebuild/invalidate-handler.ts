/**
 * Lambda entry: the table's stream (filtered to catalog items, batched a few seconds) → one
 * CloudFront invalidation of exactly the storefront paths the changes make stale (invalidate.ts).
 * Pages are rendered on request, so nothing is rebuilt: the next request renders the new page.
 * A failed call (CloudFront's in-progress limits, a throttle) fails the batch, which the event
 * source retries; the pages' own short CDN lifetime bounds staleness meanwhile.
 */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { instrumentClient } from '../../shared/observability/clients.ts';
import { log } from '../../shared/observability/log.ts';
import { observed } from '../observability.ts';
import { producerSlug, productPageRef } from '../../shared/db/page-refs.ts';
import { pathsToInvalidate, type CatalogLookup } from './invalidate.ts';
import { config } from '../../shared/services.ts';
import { installLambdaServices } from '../services.ts';

installLambdaServices('siteInvalidate');
// DISTRIBUTION_ID is a required setting of this function (functions/services.ts).
const distributionId = config().distributionId!;
const cloudFront = instrumentClient(new CloudFrontClient({}));

const lookup: CatalogLookup = { product: productPageRef, producerSlug };

async function invalidate(event: DynamoDBStreamEvent) {
  const paths = await pathsToInvalidate(event.Records, lookup);
  if (paths.length === 0) return { result: 'unchanged', records: event.Records.length };
  const first = event.Records[0]?.dynamodb?.SequenceNumber ?? '';
  const last = event.Records.at(-1)?.dynamodb?.SequenceNumber ?? '';
  // The same batch retried gives the same reference: CloudFront then answers with the first one.
  const { Invalidation } = await cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: {
        CallerReference: `stream-${first}-${last}`.slice(0, 128),
        Paths: { Quantity: paths.length, Items: paths },
      },
    }),
  );
  const outcome = { result: 'invalidated', id: Invalidation?.Id, paths };
  log().info('storefront invalidation', { ...outcome });
  return outcome;
}

// A batch that fails is retried by the event source; each failure counts as a failed rebuild.
export const handler = observed('siteInvalidate', invalidate, { failureMetric: 'SiteRebuildFailed' });
