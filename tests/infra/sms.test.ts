/**
 * SMS through SNS in the synthesized API stack: only the notices worker may publish (and only to
 * phone numbers, never to a topic; the functions that answer requests queue their messages,
 * tests/infra/notices.test.ts), and the account's monthly SMS spend limit is set from
 * configuration at deploy time.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, NOTICE_SENDER, SMS_FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { SmsMessaging } from '../../infra/constructs/sms.ts';
import { appUnderTest } from './app-under-test.ts';

// Loosely typed CloudFormation JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api, environment } = appUnderTest();
const template = Template.fromStack(api);
const policies = template.findResources('AWS::IAM::Policy');

/** The statements of the inline policies attached to a function's role. */
function statementsOf(name: FunctionName): Json[] {
  const roleId = api.getLogicalId(api.functions[name].role.node.defaultChild as CfnRole);
  return Object.values(policies)
    .filter((p: Json) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement as Json[]);
}

const publishes = (statements: Json[], effect: 'Allow' | 'Deny') =>
  statements.filter((s) => s.Effect === effect && [s.Action].flat().includes('sns:Publish'));

describe('SMS through SNS', () => {
  it('lets the notices worker alone publish, to phone numbers and to no topic', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const statements = statementsOf(name);
      if (name === NOTICE_SENDER) {
        // One statement on '*' (CDK merges the X-Ray writes of Active tracing into it).
        const allowed = publishes(statements, 'Allow');
        expect(allowed, name).toEqual([expect.objectContaining({ Resource: '*' })]);
        expect(
          [allowed[0].Action].flat().filter((a: string) => a.startsWith('sns:')),
          name,
        ).toEqual(['sns:Publish']);
        expect(publishes(statements, 'Deny')[0]?.Resource, name).toEqual({
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']],
        });
      } else {
        expect(publishes(statements, 'Allow'), name).toEqual([]);
      }
    }
    expect(SMS_FUNCTIONS).toEqual(expect.arrayContaining(['producers', 'orders', 'board']));
    expect(SMS_FUNCTIONS).not.toContain(NOTICE_SENDER);
    // Cognito sends the sign-in codes itself.
    expect(SMS_FUNCTIONS).not.toContain('auth');
  });

  it('sets the monthly spend limit and Transactional SMS with SNS.setSMSAttributes', () => {
    const [resource] = Object.values(template.findResources('Custom::AWS')) as Json[];
    const call = JSON.parse(
      typeof resource.Properties.Update === 'string'
        ? resource.Properties.Update
        : JSON.stringify(resource.Properties.Update),
    );
    expect(call).toMatchObject({
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: {
        attributes: {
          // The environment's limit (infra/env/prod.json).
          MonthlySpendLimit: String(environment.config.sms.monthlySpendLimitUsd),
          DefaultSMSType: 'Transactional',
        },
      },
    });
    // The provider may change the account's SMS settings and nothing else.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:SetSMSAttributes', Effect: 'Allow', Resource: '*' }),
        ]),
      },
    });
  });

  it('takes the limit and the sender id from its settings, and refuses bad ones', () => {
    const stack = new Stack(new App(), 'SmsSettings');
    const fn = new LambdaFunction(stack, 'Sender', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
    });
    new SmsMessaging(stack, 'Sms', { monthlySpendLimitUsd: 25, senderId: 'OCOPTN', senders: [fn] });
    const synthesized = Template.fromStack(stack);
    const [resource] = Object.values(synthesized.findResources('Custom::AWS')) as Json[];
    expect(JSON.stringify(resource.Properties.Update)).toContain('\\"MonthlySpendLimit\\":\\"25\\"');
    synthesized.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { SMS_SENDER_ID: 'OCOPTN' } },
    });

    const other = new Stack(new App(), 'Bad');
    expect(() => new SmsMessaging(other, 'Zero', { monthlySpendLimitUsd: 0, senders: [] })).toThrow(
      /spend limit/,
    );
    expect(
      () => new SmsMessaging(other, 'Sender', { monthlySpendLimitUsd: 5, senderId: 'Sàn OCOP', senders: [] }),
    ).toThrow(/sender id/);
  });
});
