import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  OidcAttributeRequestMethod,
  ProviderAttribute,
  UserPool,
  UserPoolClientIdentityProvider,
  UserPoolIdentityProviderOidc,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { GROUPS } from '../../shared/auth/tokens.ts';
import { IDENTITY_RETURN_PATH } from '../../shared/auth/identity-provider.ts';

/**
 * Sign-in for producers, managers and admins: a Cognito user pool with the phone number as the
 * username and an SMS one-time code as the first factor (Essentials plan, USER_AUTH flow), the
 * groups the API knows, and one confidential app client: its secret is read by the sign-in facade
 * alone (DescribeUserPoolClient, see api-stack.ts), so nobody can call InitiateAuth with the
 * client id around the API's limits on codes.
 */
/** The digital-identity provider (ThaiNguyen ID, VNeID) households may link and sign in with. */
export interface DigitalIdentityProps {
  /** The provider's issuer URL (its discovery document is at <issuer>/.well-known/openid-configuration). */
  issuerUrl: string;
  /** The client id the provider registered for the exchange. */
  clientId: string;
  /** The Secrets Manager secret (JSON, field `clientSecret`) holding the client's secret. */
  secretName: string;
}

/** What the auth function needs to run the identity flow through the pool (api-stack.ts). */
export interface DigitalIdentityWiring {
  /** The identity provider's own issuer: the key of the links the exchange keeps. */
  issuerUrl: string;
  /** The provider's name in the pool (`identity_provider=`, the `identities` claim). */
  providerName: string;
  /** The pool domain's base URL (/oauth2/authorize, /oauth2/token). */
  domainUrl: string;
  /** The site's return page: the app client's only callback URL. */
  redirectUri: string;
}

export interface AuthStackProps extends StackProps {
  /** @default context `identityProvider` ({ issuerUrl, clientId, secretName }); none without it */
  digitalIdentity?: DigitalIdentityProps;
  /** The storefront's origin: the identity flow comes back to its /dang-nhap/dinh-danh/ page. */
  siteUrl?: string;
  /**
   * The prefix of the pool's domain (<prefix>.auth.<region>.amazoncognito.com), unique in the
   * region. @default `chothainguyen-<env context>` or the stack name
   */
  domainPrefix?: string;
}

/** The provider's name in the user pool. */
export const DIGITAL_IDENTITY_PROVIDER_NAME = 'DinhDanhDienTu';

export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The OIDC identity provider in the pool, when one is configured. */
  readonly digitalIdentity?: UserPoolIdentityProviderOidc;
  /** The pool's domain (its OAuth endpoints), when an identity provider is configured. */
  readonly domain?: UserPoolDomain;
  /** The identity flow's settings for the auth function (api-stack.ts). */
  readonly digitalIdentityWiring?: DigitalIdentityWiring;

  constructor(scope: Construct, id: string, props: AuthStackProps = {}) {
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
    const identity =
      props.digitalIdentity ??
      (this.node.tryGetContext('identityProvider') as DigitalIdentityProps | undefined);
    if (identity) {
      // The pool holds the provider's registration (its secret resolved by CloudFormation from
      // Secrets Manager, never in the template): Cognito is the provider's client, the exchange
      // Cognito's (shared/auth/identity-provider.ts), so only the pool ever sees that secret.
      this.digitalIdentity = new UserPoolIdentityProviderOidc(this, 'DigitalIdentity', {
        userPool: this.userPool,
        name: DIGITAL_IDENTITY_PROVIDER_NAME,
        issuerUrl: identity.issuerUrl,
        clientId: identity.clientId,
        clientSecret: SecretValue.secretsManager(identity.secretName, {
          jsonField: 'clientSecret',
        }).unsafeUnwrap(),
        scopes: ['openid', 'profile'],
        attributeRequestMethod: OidcAttributeRequestMethod.GET,
        // The verified name only: no national id number is asked for.
        attributeMapping: { fullname: ProviderAttribute.other('name') },
      });
    }
    const redirectUri = props.siteUrl ? `${props.siteUrl}${IDENTITY_RETURN_PATH}` : undefined;
    if (this.digitalIdentity && !redirectUri) {
      throw new Error('AuthStack: a digital identity provider needs siteUrl (its return page)');
    }
    this.client = this.userPool.addClient('Site', {
      authFlows: { user: true },
      generateSecret: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      ...(this.digitalIdentity && redirectUri
        ? {
            // The identity flow only: the code grant (PKCE is sent by the auth function, and the
            // code is worth nothing without the client's secret), back to the site's return page,
            // through the province's provider alone (no Cognito password page).
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [OAuthScope.OPENID, OAuthScope.PROFILE],
              callbackUrls: [redirectUri],
            },
            supportedIdentityProviders: [
              UserPoolClientIdentityProvider.custom(this.digitalIdentity.providerName),
            ],
          }
        : { disableOAuth: true }),
    });
    if (identity && this.digitalIdentity && redirectUri) {
      this.client.node.addDependency(this.digitalIdentity);
      const env = this.node.tryGetContext('env') as string | undefined;
      this.domain = this.userPool.addDomain('Domain', {
        cognitoDomain: {
          domainPrefix: (props.domainPrefix ?? `chothainguyen-${env ?? this.stackName}`)
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '-')
            .slice(0, 63),
        },
      });
      this.digitalIdentityWiring = {
        issuerUrl: identity.issuerUrl,
        providerName: this.digitalIdentity.providerName,
        domainUrl: this.domain.baseUrl(),
        redirectUri,
      };
      new CfnOutput(this, 'DigitalIdentityProvider', { value: this.digitalIdentity.providerName });
      new CfnOutput(this, 'OAuthDomain', { value: this.domain.baseUrl() });
    }
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'Sign-in is a one-time SMS code to the phone, which is itself the second factor of possession; a separate MFA step would lock out farm households on basic phones.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Essentials is the plan that offers SMS one-time codes as the first factor; Plus adds threat protection at a per-user cost the exchange does not need at launch (the API rate-limits codes itself).',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Advanced security (threat protection) is a Plus-plan feature; the API rate-limits codes per phone and per address and locks a phone after five wrong codes.',
      },
    );
    // Cognito's own role for sending SMS: sns:Publish to phone numbers has no resource ARN to name.
    const smsRole = this.userPool.node.tryFindChild('smsRole');
    if (smsRole) {
      Validations.of(smsRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Generated by Cognito for SMS: sns:Publish to a phone number has no resource ARN, so the resource is *.',
      });
    }
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'ClientId', { value: this.client.userPoolClientId });
  }

  /** The issuer URL of the pool's tokens, which the API verifies against. */
  get issuer(): string {
    return `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
