/**
 * Text messages through Amazon SNS: the function that sends them (the notices worker, which
 * takes consent codes, COD confirmation codes and order notices off the Notices queue,
 * constructs/notices.ts) may `sns:Publish` and read the Zalo settings, and no other function may; the
 * account's SMS settings are set at deploy time: a monthly spend limit (SNS stops sending past
 * it) and Transactional as the default type.
 *
 * The spend limit is an account-level SMS attribute, not a resource: CloudFormation has no type
 * for it, so an AwsCustomResource calls `SNS.setSMSAttributes` on create and update (delete
 * leaves the account's setting as it is; another stack of the account may rely on it). A limit
 * above the account's SMS quota (1 USD for a new account) is refused by SNS until AWS Support
 * raises the quota: the deploy then fails with SNS's message, and nothing is sent meanwhile.
 */
import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface SmsSettings {
  /** SNS's MonthlySpendLimit, whole US dollars. */
  readonly monthlySpendLimitUsd: number;
  /** Alphanumeric sender id where the destination allows one (SMS_SENDER_ID), 1–11 characters. */
  readonly senderId?: string;
  /**
   * Zalo ZNS beside SMS (functions/adapters/zalo-messenger.ts): the OA app's id, the SSM path of
   * its secrets (`zalo-secret-key`, `zalo-refresh-token`, SecureStrings put there by hand), the
   * approved template ids, and Zalo's hosts when not the real ones.
   */
  readonly zalo?: {
    readonly appId: string;
    readonly ssmPath: string;
    readonly templateIds: Readonly<Record<string, string>>;
    readonly apiHost?: string;
    readonly oauthHost?: string;
  };
}

export interface SmsMessagingProps extends SmsSettings {
  /** The functions that send SMS and Zalo messages: the notices worker. */
  readonly senders: readonly LambdaFunction[];
}

export class SmsMessaging extends Construct {
  readonly spendLimit: AwsCustomResource;

  constructor(scope: Construct, id: string, props: SmsMessagingProps) {
    super(scope, id);
    if (!Number.isInteger(props.monthlySpendLimitUsd) || props.monthlySpendLimitUsd < 1) {
      throw new Error(
        `The SMS monthly spend limit must be whole US dollars ≥ 1, got ${props.monthlySpendLimitUsd}`,
      );
    }
    if (props.senderId !== undefined && !/^[A-Za-z0-9]{1,11}$/.test(props.senderId)) {
      throw new Error(`The SMS sender id must be 1–11 letters or digits, got "${props.senderId}"`);
    }

    // Publishing straight to a phone number has no resource ARN: the action is allowed on `*` and
    // denied on every topic ARN, so the functions may send SMS and publish to no topic.
    const publish = new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] });
    const noTopics = new PolicyStatement({
      effect: Effect.DENY,
      actions: ['sns:Publish'],
      resources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
    });
    for (const fn of props.senders) {
      fn.addToRolePolicy(publish);
      fn.addToRolePolicy(noTopics);
      if (props.senderId) fn.addEnvironment('SMS_SENDER_ID', props.senderId);
      if (props.zalo) this.wireZalo(fn, props.zalo);
      if (fn.role) {
        Validations.of(fn.role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'sns:Publish to a phone number (SMS) has no resource ARN to name; the function publishes to no topic.',
        });
      }
    }

    this.spendLimit = new AwsCustomResource(this, 'SpendLimit', {
      onUpdate: {
        service: 'SNS',
        action: 'setSMSAttributes',
        parameters: {
          attributes: {
            MonthlySpendLimit: String(props.monthlySpendLimitUsd),
            DefaultSMSType: 'Transactional',
          },
        },
        physicalResourceId: PhysicalResourceId.of('sms-account-attributes'),
      },
      // SetSMSAttributes is an account-level call without resource-level permissions.
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.acknowledgeProvider();
  }

  private wireZalo(fn: LambdaFunction, zalo: NonNullable<SmsSettings['zalo']>): void {
    fn.addEnvironment('ZALO_APP_ID', zalo.appId);
    fn.addEnvironment('ZALO_SSM_PATH', zalo.ssmPath);
    fn.addEnvironment('ZALO_TEMPLATE_IDS', JSON.stringify(zalo.templateIds));
    if (zalo.apiHost) fn.addEnvironment('ZALO_API_HOST', zalo.apiHost);
    if (zalo.oauthHost) fn.addEnvironment('ZALO_OAUTH_HOST', zalo.oauthHost);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParametersByPath'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: zalo.ssmPath.replace(/^\//, ''),
          }),
        ],
      }),
    );
  }

  /** cdk-nag findings on the function CDK generates for AwsCustomResource, each by its text. */
  private acknowledgeProvider(): void {
    const generated = 'Generated by CDK AwsCustomResource for the account SMS settings';
    Validations.of(this.spendLimit).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${generated}: sns:SetSMSAttributes is account-level and has no resource ARN.`,
    });
    const stack = Stack.of(this);
    const provider = stack.node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (provider) {
      Validations.of(provider).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: `${generated}: log writing for a function that runs only during deployments.`,
        },
        { id: 'AwsSolutions-L1', reason: `${generated}: its runtime is chosen and updated by aws-cdk-lib.` },
      );
    }
  }
}
