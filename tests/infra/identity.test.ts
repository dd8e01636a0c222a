import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AuthStack } from '../../infra/stacks/auth-stack.ts';
import { buildApp } from '../../infra/app.ts';
import { fakeSiteDir } from './app-under-test.ts';

const digitalIdentity = {
  issuerUrl: 'https://id.thainguyen.gov.vn',
  clientId: 'tn-exchange',
  secretName: 'tn-exchange/digital-identity',
};

describe('digital identity in the auth stack', () => {
  it('adds the provider to the user pool as an OIDC identity provider, its secret from Secrets Manager', () => {
    const stack = new AuthStack(new App(), 'Auth', { env: { region: 'ap-southeast-1' }, digitalIdentity });
    const template = Template.fromStack(stack);
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
    expect(stack.digitalIdentitySecret).toBeDefined();
  });

  it('has no identity provider until one is configured', () => {
    const template = Template.fromStack(
      new AuthStack(new App(), 'Auth', { env: { region: 'ap-southeast-1' } }),
    );
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
  });

  it('reads the provider from context', () => {
    const app = new App({ context: { identityProvider: digitalIdentity } });
    const template = Template.fromStack(new AuthStack(app, 'Auth', { env: { region: 'ap-southeast-1' } }));
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 1);
  });
});

describe('digital identity in the auth function', () => {
  it('is configured from the auth stack: issuer, client, the return page on the site, the secret by dynamic reference', () => {
    const { api } = buildApp({
      environment: 'prod',
      siteDir: fakeSiteDir(),
      nag: false,
      appProps: { context: { identityProvider: digitalIdentity } },
    });
    const template = Template.fromStack(api);
    const authId = api.getLogicalId(api.functions.auth.function.node.defaultChild as never);
    const variables = template.toJSON().Resources[authId].Properties.Environment.Variables;
    expect(variables.IDENTITY_ISSUER).toBe(digitalIdentity.issuerUrl);
    expect(variables.IDENTITY_CLIENT_ID).toBe(digitalIdentity.clientId);
    expect(variables.IDENTITY_REDIRECT_URI).toMatch(/^https:\/\/[^/]+\/dang-nhap\/dinh-danh\/$/);
    expect(JSON.stringify(variables.IDENTITY_CLIENT_SECRET)).toContain(
      '{{resolve:secretsmanager:tn-exchange/digital-identity:SecretString:clientSecret::}}',
    );
    // Only the auth function runs the flow.
    for (const name of ['catalog', 'producers', 'orders', 'board', 'seasons'] as const) {
      const id = api.getLogicalId(api.functions[name].function.node.defaultChild as never);
      const env = template.toJSON().Resources[id].Properties.Environment.Variables;
      expect(Object.keys(env).filter((k) => k.startsWith('IDENTITY_'))).toEqual([]);
    }
  });
});
