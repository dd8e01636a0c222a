import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AuthStack } from '../../infra/stacks/auth-stack.ts';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/app.ts';
import { fakeSiteDir } from './app-under-test.ts';

const digitalIdentity = {
  issuerUrl: 'https://id.thainguyen.gov.vn',
  clientId: 'tn-exchange',
  secretName: 'tn-exchange/digital-identity',
};

const SITE = 'https://chothainguyen.vn';
const RETURN_PAGE = `${SITE}/dang-nhap/dinh-danh/`;

function authStack(props: { digitalIdentity?: typeof digitalIdentity; app?: App } = {}) {
  return new AuthStack(props.app ?? new App(), 'Auth', {
    env: { region: 'ap-southeast-1' },
    siteUrl: SITE,
    ...(props.digitalIdentity ? { digitalIdentity: props.digitalIdentity } : {}),
  });
}

describe('digital identity in the auth stack', () => {
  it('adds the provider to the user pool as an OIDC identity provider, its secret from Secrets Manager', () => {
    const template = Template.fromStack(authStack({ digitalIdentity }));
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'OIDC',
      ProviderName: 'DinhDanhDienTu',
      ProviderDetails: Match.objectLike({
        oidc_issuer: digitalIdentity.issuerUrl,
        client_id: digitalIdentity.clientId,
        authorize_scopes: 'openid profile',
        attributes_request_method: 'GET',
      }),
      AttributeMapping: { name: 'name' },
    });
    const json = JSON.stringify(template.toJSON());
    // The secret is a dynamic reference resolved by CloudFormation, never a value in the template.
    expect(json).toContain(
      '{{resolve:secretsmanager:tn-exchange/digital-identity:SecretString:clientSecret::}}',
    );
  });

  it('gives the pool a domain and lets the site client use the provider alone, code grant only, back to the return page', () => {
    const stack = authStack({ digitalIdentity });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: Match.stringLikeRegexp('^[a-z0-9-]+$'),
      UserPoolId: { Ref: Match.anyValue() },
    });
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as {
      Properties: Record<string, unknown>;
      DependsOn?: string[];
    }[];
    expect(clients).toHaveLength(1);
    const site = clients[0]!;
    expect(site.Properties).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'profile'],
      CallbackURLs: [RETURN_PAGE],
      // The phone sign-in stays: USER_AUTH is an API flow, not a hosted-UI provider.
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_USER_AUTH']),
    });
    const providerId = stack.getLogicalId(stack.digitalIdentity!.node.defaultChild as never);
    expect(site.Properties.SupportedIdentityProviders).toEqual([{ Ref: providerId }]);
    // Created after the provider it names.
    expect(site.DependsOn).toContain(providerId);
    expect(stack.digitalIdentityWiring).toMatchObject({
      issuerUrl: digitalIdentity.issuerUrl,
      redirectUri: RETURN_PAGE,
    });
  });

  it('has no identity provider, no domain and no OAuth on the client until one is configured', () => {
    const template = Template.fromStack(authStack());
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
    });
  });

  it('reads the provider from context', () => {
    const app = new App({ context: { identityProvider: digitalIdentity } });
    const template = Template.fromStack(authStack({ app }));
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 1);
  });

  it('refuses a provider without the site to come back to', () => {
    expect(
      () => new AuthStack(new App(), 'Auth', { env: { region: 'ap-southeast-1' }, digitalIdentity }),
    ).toThrow(/siteUrl/);
  });
});

describe('digital identity in the auth function', () => {
  const { app, api, auth } = buildApp({
    environment: 'prod',
    siteDir: fakeSiteDir(),
    nag: false,
    appProps: { context: { identityProvider: digitalIdentity } },
  });
  const template = Template.fromStack(api);
  const variablesOf = (name: 'auth' | 'catalog' | 'producers' | 'orders' | 'board' | 'seasons') =>
    template.toJSON().Resources[api.getLogicalId(api.functions[name].function.node.defaultChild as never)]
      .Properties.Environment.Variables as Record<string, unknown>;

  it('runs the flow through the pool: its domain, the provider name, the return page; no provider secret', () => {
    const variables = variablesOf('auth');
    expect(variables.IDENTITY_ISSUER).toBe(digitalIdentity.issuerUrl);
    expect(variables.IDENTITY_REDIRECT_URI).toMatch(/^https:\/\/[^/]+\/dang-nhap\/dinh-danh\/$/);
    expect(JSON.stringify(variables.IDENTITY_COGNITO_PROVIDER)).toMatch(/DigitalIdentity/);
    expect(JSON.stringify(variables.IDENTITY_COGNITO_DOMAIN)).toMatch(/amazoncognito\.com/);
    // The pool is the provider's client: the function has neither its client id nor its secret.
    expect(variables.IDENTITY_CLIENT_ID).toBeUndefined();
    expect(variables.IDENTITY_CLIENT_SECRET).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain(
      'resolve:secretsmanager:tn-exchange/digital-identity',
    );
    // The redirect URI the function sends is the client's only callback URL.
    const client = Object.values(
      Template.fromStack(auth).findResources('AWS::Cognito::UserPoolClient'),
    )[0] as { Properties: { CallbackURLs: string[] } };
    expect(client.Properties.CallbackURLs).toEqual([variables.IDENTITY_REDIRECT_URI]);
    // Only the auth function runs the flow.
    for (const name of ['catalog', 'producers', 'orders', 'board', 'seasons'] as const) {
      expect(Object.keys(variablesOf(name)).filter((k) => k.startsWith('IDENTITY_'))).toEqual([]);
    }
  });

  it('may link and delete federated users on its own pool only', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (
          p as {
            Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const cognito = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')));
    // CDK merges the auth function's statements on the pool into one.
    expect(cognito).toHaveLength(1);
    expect([cognito[0]!.Action].flat().sort()).toEqual([
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:AdminDisableProviderForUser',
      'cognito-idp:AdminLinkProviderForUser',
      'cognito-idp:DescribeUserPoolClient',
    ]);
    const resource = JSON.stringify(cognito[0]!.Resource);
    expect(resource).not.toContain('"*"');
    expect(resource).toMatch(/Users\w*Arn/);
  });

  it('passes cdk-nag with the provider, the domain and the OAuth client', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const errors = report.violations
      .filter((v) => v.severity === 'error')
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(errors).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});
