/**
 * One batch of stream records → at most one StartBuild. The AWS calls come in through `BuildApi`
 * (handler.ts wires CodeBuild), so the whole sequence runs in unit tests with a fake.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import {
  catalogChanges,
  isBuildLimitError,
  planBuild,
  type BuildSummary,
  type CatalogChange,
} from './decide.ts';

export interface BuildApi {
  /** The project's latest builds, newest first. */
  recentBuilds(): Promise<BuildSummary[]>;
  /** Starts a build; returns its id. */
  startBuild(): Promise<string>;
}

export interface RebuildDeps {
  api: BuildApi;
  sleep(ms: number): Promise<void>;
  /** Time left in this invocation (Lambda's context.getRemainingTimeInMillis). */
  remainingMs(): number;
}

export type RebuildResult =
  | { result: 'unchanged'; records: number }
  | { result: 'started'; buildId: string; changes: CatalogChange[] }
  | { result: 'covered'; buildId: string; why: string; changes: CatalogChange[] };

/** How often to look again while the running build may have missed the changes. */
export const POLL_MS = 20_000;
/** Left for the last look and the log line before the invocation would time out. */
export const SAFETY_MS = 15_000;

export async function rebuildForChanges(
  records: readonly DynamoDBRecord[],
  deps: RebuildDeps,
): Promise<RebuildResult> {
  const changes = catalogChanges(records);
  if (changes.length === 0) return { result: 'unchanged', records: records.length };
  const latestChangeAt = Math.max(...changes.map((change) => change.at));

  for (;;) {
    const plan = planBuild(latestChangeAt, await deps.api.recentBuilds());
    if (plan.action === 'skip') return { result: 'covered', buildId: plan.buildId, why: plan.why, changes };
    let waitingFor = plan.action === 'wait' ? plan.buildId : undefined;
    if (plan.action === 'start') {
      try {
        return { result: 'started', buildId: await deps.api.startBuild(), changes };
      } catch (error) {
        // Another invocation (another shard) started one in between: look again, it is
        // probably new enough.
        if (!isBuildLimitError(error)) throw error;
        waitingFor = 'a build started meanwhile';
      }
    }
    if (deps.remainingMs() < POLL_MS + SAFETY_MS) {
      // Failing the batch makes Lambda retry it (the event source's retryAttempts); the scheduled
      // rebuild is the backstop if every retry finds a build running too.
      throw new Error(
        `Still waiting for ${waitingFor} to finish before starting a rebuild; the batch will be retried`,
      );
    }
    await deps.sleep(POLL_MS);
  }
}
