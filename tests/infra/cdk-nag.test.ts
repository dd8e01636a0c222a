/**
 * cdk-nag (AwsSolutions pack) over the whole app, as `cdk synth` runs it. cdk-nag 3 is a CDK
 * policy-validation plugin: findings are not annotations any more, and rules are acknowledged with
 * `Validations.of(construct).acknowledge({ id, reason })`, one id per finding.
 */
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { fakeSiteDir } from './app-under-test.ts';

// Built like bin/app.ts (nag plugin registered), plus a fake built site so the upload is checked too.
const { app, data, auth, api, edge, site, monitoring } = buildApp({
  environment: 'prod',
  siteDir: fakeSiteDir(),
});
const stacks = [data, auth, api, edge, site, monitoring];

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged errors', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const errors = report.violations
      .filter((v) => v.severity === 'error')
      .flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}: ${v.description}`),
      );
    expect(errors).toEqual([]);
  });

  it('gives every acknowledgment a real reason', () => {
    const acknowledgments = app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .map(([id, reason]) => ({ at: construct.node.path, id, reason })),
    );
    expect(acknowledgments.length).toBeGreaterThan(0);
    const weak = acknowledgments.filter(
      ({ reason }) => typeof reason !== 'string' || reason.trim().length < 10,
    );
    expect(weak).toEqual([]);
  });

  it('synthesizes with the plugin registered, without CDK errors or warnings', () => {
    // Throws with the validation report if any plugin (cdk-nag, CloudFormation rules) fails.
    expect(() => app.synth()).not.toThrow();
    for (const stack of stacks) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue()), stack.stackName).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()), stack.stackName).toEqual([]);
    }
  });
});
