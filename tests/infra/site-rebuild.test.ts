/**
 * The scheduled rebuild of the prebuilt storefront pages in the synthesized site stack: the
 * CodeBuild project and its buildspec, its source asset, the schedule and the permissions. (The
 * catalog's changes invalidate rendered pages instead: tests/infra/site-render.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { describe, expect, it } from 'vitest';
import { rebuildEvery } from '../../infra/app.ts';
import {
  REBUILD_FILES,
  SCRIPT_HASHES_CHECK,
  SITE_CACHE_CONTROL,
} from '../../infra/constructs/site-rebuild.ts';
import { SiteStack } from '../../infra/stacks/site-stack.ts';
import { appUnderTest, FAKE_SCRIPT_HASH } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { app, api, site } = appUnderTest();
const template = Template.fromStack(site);
const rebuild = site.rebuild!;

function only<T>(resources: Record<string, T>): [string, T] {
  const entries = Object.entries(resources);
  if (entries.length !== 1) throw new Error(`expected exactly one resource, got ${entries.length}`);
  return entries[0]!;
}
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const [projectId, project] = only<Json>(template.findResources('AWS::CodeBuild::Project'));
const buildSpec = JSON.parse(project.Properties.Source.BuildSpec);
const siteBucketId = site.getLogicalId(site.siteBucket.node.defaultChild as CfnBucket);
const distributionId = site.getLogicalId(site.distribution.node.defaultChild as never);
const statementsOfRole = (roleId: string): Json[] =>
  Object.values<Json>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('site rebuild: the CodeBuild project', () => {
  const commands: string[] = buildSpec.phases.build.commands;
  const indexOf = (needle: string) => commands.findIndex((c) => c.includes(needle));

  it('installs with npm ci on Node.js 22 (standard:7.0), one build at a time', () => {
    expect(project.Properties.Environment.Image).toBe('aws/codebuild/standard:7.0');
    expect(buildSpec.phases.install['runtime-versions']).toEqual({ nodejs: 22 });
    expect(buildSpec.phases.install.commands).toContain('npm ci --no-audit --no-fund');
    expect(project.Properties.ConcurrentBuildLimit).toBe(1);
    expect(project.Properties.Environment.PrivilegedMode).toBe(false);
  });

  it('builds the site against the API, without demo data or telemetry', () => {
    const astro = commands[indexOf('astro build')]!;
    expect(astro).toMatch(/npx astro build --root site$/);
    expect(astro).toContain('ASTRO_TELEMETRY_DISABLED=1');
    expect(astro).toContain('PUBLIC_DEMO_DATA=false');
    expect(astro).toContain('EXCHANGE_API_URL="$EXCHANGE_API_URL"');
    expect(astro).toContain('SITE_URL="$SITE_URL"');
  });

  it('passes the API origin, the site URL, the bucket and the distribution', () => {
    const env = Object.fromEntries(
      project.Properties.Environment.EnvironmentVariables.map((v: Json) => [v.Name, v.Value]),
    );
    // The API's own host (infra/env/prod.json's custom domain), its execute-api endpoint being off.
    expect(env.EXCHANGE_API_URL).toBe(`https://${api.apiDomainName}`);
    expect(api.apiDomainName).toBe('api.chothainguyen.vn');
    expect(env.SITE_URL).toBe('https://chothainguyen.vn');
    expect(env.SITE_BUCKET).toEqual({ Ref: siteBucketId });
    expect(env.DISTRIBUTION_ID).toEqual({ Ref: distributionId });
  });

  it('publishes with the same cache split as the deploy-time upload, assets first, then invalidates', () => {
    const assets = commands[indexOf('sync site/dist/client/_astro')]!;
    const pages = commands[indexOf("--exclude '_astro/*'")]!;
    expect(assets).toBe(
      `aws s3 sync site/dist/client/_astro "s3://$SITE_BUCKET/_astro" --cache-control '${SITE_CACHE_CONTROL.assets}'`,
    );
    expect(assets).not.toContain('--delete');
    expect(pages).toBe(
      `aws s3 sync site/dist/client "s3://$SITE_BUCKET" --exclude '_astro/*' --delete --cache-control '${SITE_CACHE_CONTROL.pages}'`,
    );
    expect(commands[commands.length - 1]).toBe(
      `if [ -s ${REBUILD_FILES.paths} ]; then aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths $(cat ${REBUILD_FILES.paths}); fi`,
    );
    expect(indexOf('astro build')).toBeLessThan(indexOf('sync site/dist/client/_astro'));
    expect(indexOf('sync site/dist/client/_astro')).toBeLessThan(indexOf("--exclude '_astro/*'"));

    // The same Cache-Control values as the two BucketDeployments of uploadSite().
    const deployments = Object.values<Json>(template.findResources('Custom::CDKBucketDeployment'));
    const uploaded = deployments.map((d) => d.Properties.SystemMetadata['cache-control']).sort();
    expect(uploaded).toEqual([SITE_CACHE_CONTROL.pages, SITE_CACHE_CONTROL.assets].sort());
    expect(SITE_CACHE_CONTROL).toEqual({
      assets: 'public, max-age=31536000, immutable',
      pages: 'public, max-age=0, must-revalidate',
    });
  });

  it('works out the changed pages before the sync and invalidates only those, never /*', () => {
    const listing = indexOf('aws s3api list-objects-v2');
    const changed = indexOf('functions/site-rebuild/changed-paths.ts');
    expect(commands[listing]).toBe(
      `aws s3api list-objects-v2 --bucket "$SITE_BUCKET" --output json > ${REBUILD_FILES.listing}`,
    );
    expect(commands[changed]).toBe(
      `npx tsx functions/site-rebuild/changed-paths.ts site/dist/client ${REBUILD_FILES.listing} > ${REBUILD_FILES.paths}`,
    );
    expect(indexOf('astro build')).toBeLessThan(listing);
    expect(listing).toBeLessThan(changed);
    expect(changed).toBeLessThan(indexOf('sync site/dist/client/_astro'));
    for (const command of commands) {
      expect(command).not.toContain("'/*'");
      expect(command).not.toContain('/media');
    }
  });

  it("publishes nothing when the rebuilt pages' inline script is not the one the deployed policy allows", () => {
    const env = Object.fromEntries(
      project.Properties.Environment.EnvironmentVariables.map((v: Json) => [v.Name, v.Value]),
    );
    // The hashes of the build deployed with the stack (app-under-test's stand-in build).
    expect(env.SCRIPT_HASHES).toBe(JSON.stringify([FAKE_SCRIPT_HASH]));
    const check = indexOf('SCRIPT_HASHES');
    expect(commands[check]).toBe(SCRIPT_HASHES_CHECK);
    expect(indexOf('astro build')).toBeLessThan(check);
    expect(check).toBeLessThan(indexOf('sync site/dist/client/_astro'));

    // The command itself, in bash, on a rebuilt dist with the same hash and with another.
    const run = (recorded: string[]) => {
      const root = mkdtempSync(path.join(tmpdir(), 'tn-rebuild-'));
      mkdirSync(path.join(root, 'site', 'dist'), { recursive: true });
      writeFileSync(path.join(root, 'site', 'dist', 'script-hashes.json'), `${JSON.stringify(recorded)}\n`);
      return spawnSync('bash', ['-c', SCRIPT_HASHES_CHECK], {
        cwd: root,
        env: { ...process.env, SCRIPT_HASHES: env.SCRIPT_HASHES },
        encoding: 'utf8',
      });
    };
    expect(run([FAKE_SCRIPT_HASH]).status).toBe(0);
    const other = run([`'sha256-${'B'.repeat(43)}='`]);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain('deploy the site stack');
  });

  it('reads the catalog with the origin-verify secret, from Secrets Manager', () => {
    const variable = project.Properties.Environment.EnvironmentVariables.find(
      (v: Json) => v.Name === 'ORIGIN_VERIFY_SECRET',
    );
    expect(variable.Type).toBe('SECRETS_MANAGER');
    expect(JSON.stringify(variable.Value)).toContain('OriginVerifySecret');
  });

  it('never publishes after a failed build (one aborting phase, no post_build)', () => {
    expect(buildSpec.phases.build['on-failure']).toBe('ABORT');
    expect(buildSpec.phases.post_build).toBeUndefined();
    expect(indexOf('test -f site/dist/client/index.html')).toBeLessThan(indexOf('--delete'));
  });

  it('builds from an asset with what astro build needs, and nothing else', () => {
    expect(project.Properties.Source.Type).toBe('S3');
    const source = rebuild.node.findChild('Source') as Asset;
    const staged = path.join(app.outdir, source.assetPath);
    for (const needed of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'site/astro.config.mjs',
      'site/src/lib/catalog.ts',
      'shared/domain/catalog-view.ts',
      'functions/site-rebuild/changed-paths.ts',
      'functions/site-rebuild/publish-paths.ts',
    ]) {
      expect(existsSync(path.join(staged, needed)), needed).toBe(true);
    }
    for (const left of [
      'node_modules',
      'site/node_modules',
      'site/dist',
      'tests',
      'infra',
      'functions/site-rebuild/decide.ts',
      'functions/orders',
      'functions/http.ts',
      '.git',
      '.data',
      'cdk.out',
    ]) {
      expect(existsSync(path.join(staged, left)), left).toBe(false);
    }
  });
});

describe('site rebuild: schedule', () => {
  it('runs on a schedule, every 6 hours by default', () => {
    const rules = Object.values<Json>(template.findResources('AWS::Events::Rule'));
    const schedule = rules.find((r) => r.Properties.ScheduleExpression === 'rate(6 hours)');
    expect(schedule).toBeDefined();
    expect(schedule.Properties.Targets).toHaveLength(1);
    expect(schedule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [projectId, 'Arn'] });
  });

  it('takes the schedule from context siteRebuildHours (0 = off)', () => {
    expect(rebuildEvery(undefined)).toBeUndefined();
    expect(rebuildEvery('12')?.toHours()).toBe(12);
    expect(rebuildEvery(0)).toBeNull();
    expect(() => rebuildEvery('often')).toThrow(/siteRebuildHours/);

    const bare = new App();
    const other = new Stack(bare, 'Other');
    const table = new Table(other, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    const stack = (id: string, rebuildEveryValue: Duration | null) =>
      new SiteStack(bare, id, {
        apiDomainName: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
        mediaBucket: new Bucket(other, `Media${id}`),
        table,
        siteUrl: 'https://cho.example.vn',
        rebuildEvery: rebuildEveryValue,
      });
    // Both stacks first: the app synthesizes once.
    const [dailyStack, offStack] = [stack('Daily', Duration.hours(24)), stack('Off', null)];
    const daily = Template.fromStack(dailyStack);
    daily.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    const [, dailyProject] = only<Json>(daily.findResources('AWS::CodeBuild::Project'));
    expect(
      dailyProject.Properties.Environment.EnvironmentVariables.find((v: Json) => v.Name === 'SITE_URL').Value,
    ).toBe('https://cho.example.vn');
    const off = Template.fromStack(offStack);
    off.resourceCountIs('AWS::Events::Rule', 0);
    off.resourceCountIs('AWS::CodeBuild::Project', 1);
  });

  it('is not started by catalog changes (those invalidate rendered pages)', () => {
    const triggers = Object.values<Json>(template.findResources('AWS::Lambda::Function')).filter((f) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes('SITE_BUILD_PROJECT'),
    );
    expect(triggers).toEqual([]);
  });
});

describe('site rebuild: least privilege', () => {
  const projectRoleId = site.getLogicalId(rebuild.project.role!.node.defaultChild as never);

  it('lets the build write only the site bucket and invalidate only this distribution', () => {
    const statements = statementsOfRole(projectRoleId);
    const writes = statements.filter((s) =>
      asArray<string>(s.Action).some((a) => /^s3:(Put|Delete)/.test(a) || a === 's3:*'),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0].Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [siteBucketId, 'Arn'] }, '/*']],
    });
    const invalidation = statements.filter((s) => JSON.stringify(s.Action).includes('cloudfront:'));
    expect(invalidation).toHaveLength(1);
    expect(invalidation[0].Action).toBe('cloudfront:CreateInvalidation');
    expect(JSON.stringify(invalidation[0].Resource)).toContain(`{"Ref":"${distributionId}"}`);
    expect(JSON.stringify(invalidation[0].Resource)).toContain(':distribution/');
  });
});
