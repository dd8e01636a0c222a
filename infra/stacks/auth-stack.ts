import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { GROUPS } from '../../shared/auth/tokens.ts';

/**
 * Sign-in for producers, managers and admins: a Cognito user pool with the phone number as the
 * username and an SMS one-time code as the first factor (Essentials plan, USER_AUTH flow), the
 * groups the API knows, and one app client for the site (no secret: the facade calls it).
 */
export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.userPool = new UserPool(this, 'Users', {
      featurePlan: FeaturePlan.ESSENTIALS,
      signInAliases: { phone: true },
      signInPolicy: { allowedFirstAuthFactors: { password: true, smsOtp: true } },
      selfSignUpEnabled: false,
      autoVerify: { phone: true },
      accountRecovery: AccountRecovery.PHONE_ONLY_WITHOUT_MFA,
      mfa: Mfa.OFF,
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
      });
    }
    this.client = this.userPool.addClient('Site', {
      authFlows: { user: true },
      generateSecret: false,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'Sign-in is a one-time SMS code to the phone, which is itself the second factor of possession; a separate MFA step would lock out farm households on basic phones.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Advanced security (threat protection) is a Plus-plan feature; the API rate-limits codes per phone and per address and locks a phone after five wrong codes.',
      },
    );
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'ClientId', { value: this.client.userPoolClientId });
  }

  /** The issuer URL of the pool's tokens, which the API verifies against. */
  get issuer(): string {
    return `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
