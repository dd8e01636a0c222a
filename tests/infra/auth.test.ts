import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { appUnderTest } from './app-under-test.ts';

const { auth, api } = appUnderTest();
const authTemplate = Template.fromStack(auth);
const apiTemplate = Template.fromStack(api);

function functionEnvironment(name: string): Record<string, unknown> {
  const fn = apiTemplate.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(`^${name} \\(`) },
  });
  const [resource] = Object.values(fn) as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  }[];
  return resource!.Properties.Environment.Variables;
}

describe('auth stack', () => {
  it('signs in with the phone and an SMS one-time code as the first factor', () => {
    authTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      UsernameAttributes: ['phone_number'],
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: Match.arrayWith(['SMS_OTP']) } }),
    });
    authTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_AUTH']),
    });
  });

  it('has only confidential app clients: InitiateAuth needs the secret, not just the client id', () => {
    const clients = Object.values(authTemplate.findResources('AWS::Cognito::UserPoolClient')) as {
      Properties: { GenerateSecret?: boolean };
    }[];
    expect(clients.length).toBeGreaterThan(0);
    for (const client of clients) expect(client.Properties.GenerateSecret).toBe(true);
    // The secret is read at run time by the sign-in facade, never written into a template.
    expect(JSON.stringify(apiTemplate.toJSON())).not.toMatch(/ClientSecret/);
  });

  it('has the groups the API knows', () => {
    const groups = Object.values(authTemplate.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => (g as { Properties: { GroupName: string } }).Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'coop_manager', 'producer']);
  });
});

describe('API functions and the user pool', () => {
  it('tells the token-reading functions which issuer and client to trust', () => {
    for (const name of ['auth', 'producers']) {
      const env = functionEnvironment(name);
      expect(env.AUTH_ISSUER, name).toBeDefined();
      expect(env.AUTH_AUDIENCE, name).toBeDefined();
    }
    expect(functionEnvironment('auth')).toMatchObject({
      COGNITO_USER_POOL_ID: expect.anything(),
      COGNITO_CLIENT_ID: expect.anything(),
    });
    expect(functionEnvironment('catalog').AUTH_ISSUER).toBeUndefined();
  });

  it('lets only the sign-in facade create Cognito users and read the client secret, on the pool alone', () => {
    const statements = Object.values(apiTemplate.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (
          p as {
            Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const cognito = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')));
    expect(cognito).toHaveLength(1);
    expect(cognito[0]!.Action).toEqual(['cognito-idp:AdminCreateUser', 'cognito-idp:DescribeUserPoolClient']);
    expect(JSON.stringify(cognito[0]!.Resource)).not.toContain('"*"');
  });
});
