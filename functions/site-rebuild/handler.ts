/**
 * Lambda entry: the table's stream (filtered to catalog items, batched over a few minutes) →
 * a CodeBuild build of the static storefront, unless a build already covers the changes.
 * The decisions are in decide.ts and rebuild.ts; this file only talks to CodeBuild.
 */
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  ListBuildsForProjectCommand,
  StartBuildCommand,
} from '@aws-sdk/client-codebuild';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { buildSummary } from './decide.ts';
import { rebuildForChanges, type BuildApi } from './rebuild.ts';

/** Enough history to find the running build and the last finished one. */
const RECENT_BUILDS = 5;

const client = new CodeBuildClient({});

function projectName(): string {
  const name = process.env.SITE_BUILD_PROJECT;
  if (!name) throw new Error('SITE_BUILD_PROJECT is not set');
  return name;
}

const codeBuild: BuildApi = {
  async recentBuilds() {
    const { ids = [] } = await client.send(
      new ListBuildsForProjectCommand({ projectName: projectName(), sortOrder: 'DESCENDING' }),
    );
    if (ids.length === 0) return [];
    const { builds = [] } = await client.send(
      new BatchGetBuildsCommand({ ids: ids.slice(0, RECENT_BUILDS) }),
    );
    return builds.map(buildSummary);
  },
  async startBuild() {
    const { build } = await client.send(new StartBuildCommand({ projectName: projectName() }));
    return build?.id ?? '';
  },
};

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  const outcome = await rebuildForChanges(event.Records, {
    api: codeBuild,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
  console.info(JSON.stringify({ level: 'info', message: 'storefront rebuild', ...outcome }));
  return outcome;
};
