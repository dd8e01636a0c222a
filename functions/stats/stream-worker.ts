/**
 * Lambda entry: the table's stream (filtered to producers, listings, certificates, orders and
 * sub-orders; infra/constructs/stats-stream.ts) → the programme's counters (shared/db/stats.ts).
 * Each record is counted exactly once however often a batch is retried or split. A chunk that
 * fails is reported with ReportBatchItemFailures as the first record not applied, so the event
 * source retries from there; locally infra/local/stats-stream.ts feeds the same function with
 * the same batch shape.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { applyStatsRecords, type StatsStreamRecord } from '../../shared/db/stats.ts';
import { log } from '../../shared/observability/log.ts';

/** One batch of stream records applied to the counters; the failures as the event source reads them. */
export async function applyStatsBatch(event: {
  Records: readonly StatsStreamRecord[];
}): Promise<DynamoDBBatchResponse> {
  const result = await applyStatsRecords(event.Records);
  if (result.failedAt === undefined) {
    if (result.counted > 0 || result.skipped > 0)
      log().info('stats counted', { counted: result.counted, skipped: result.skipped });
    return { batchItemFailures: [] };
  }
  const failed = event.Records[result.failedAt]?.dynamodb?.SequenceNumber ?? '';
  log().warn('stats batch stopped; the stream retries from the failed record', {
    counted: result.counted,
    failedSequenceNumber: failed,
    error:
      result.error instanceof Error ? `${result.error.name}: ${result.error.message}` : String(result.error),
  });
  return { batchItemFailures: [{ itemIdentifier: failed }] };
}

export const streamHandler = (event: DynamoDBStreamEvent) =>
  applyStatsBatch(event as unknown as { Records: StatsStreamRecord[] });
