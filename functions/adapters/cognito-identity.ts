/**
 * The digital-identity provider behind the Cognito user pool (shared/auth/identity-provider.ts):
 * the pool's OAuth endpoints with the site's confidential app client (its secret read from
 * Cognito, as the phone sign-in reads it), and the pool's admin calls that map a federated
 * identity onto the phone's user. The auth function's role may call these on its pool only
 * (infra/stacks/api-stack.ts).
 */
import {
  AdminDeleteUserCommand,
  AdminDisableProviderForUserCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { clientSecretReader } from '../../shared/auth/cognito-sign-in.ts';
import {
  createCognitoIdentityProvider,
  type FederatedUsers,
  type IdentityProvider,
} from '../../shared/auth/identity-provider.ts';
import { instrumentClient } from '../../shared/observability/clients.ts';

export interface CognitoIdentityConfig {
  userPoolId: string;
  clientId: string;
  /** The issuer of the pool's tokens (AUTH_ISSUER) and their keys (AUTH_JWKS_URL). */
  tokenIssuer: string;
  jwksUrl: string;
  /** IDENTITY_ISSUER, IDENTITY_COGNITO_PROVIDER, IDENTITY_COGNITO_DOMAIN, IDENTITY_REDIRECT_URI. */
  identityIssuer: string;
  providerName: string;
  domain: string;
  redirectUri: string;
  client?: Pick<CognitoIdentityProviderClient, 'send'>;
}

/** AdminLinkProviderForUser, AdminDisableProviderForUser and AdminDeleteUser on one pool. */
export function cognitoFederatedUsers(
  cognito: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
): FederatedUsers {
  return {
    async link(providerName, subject, destinationSub) {
      await cognito.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: userPoolId,
          // The phone's user: its username is its sub (the pool signs in by phone alias).
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destinationSub },
          // The provider's user, by the subject the provider gave it (Cognito_Subject = `sub`).
          SourceUser: {
            ProviderName: providerName,
            ProviderAttributeName: 'Cognito_Subject',
            ProviderAttributeValue: subject,
          },
        }),
      );
    },
    async unlink(providerName, subject) {
      try {
        await cognito.send(
          new AdminDisableProviderForUserCommand({
            UserPoolId: userPoolId,
            User: {
              ProviderName: providerName,
              ProviderAttributeName: 'Cognito_Subject',
              ProviderAttributeValue: subject,
            },
          }),
        );
      } catch (error) {
        // Never linked in the pool (a link made before the pool fronted the provider): nothing to undo.
        if ((error as Error).name !== 'UserNotFoundException') throw error;
      }
    },
    async deleteFederatedUser(username) {
      try {
        await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      } catch (error) {
        if ((error as Error).name !== 'UserNotFoundException') throw error;
      }
    },
  };
}

export function cognitoIdentityProvider(config: CognitoIdentityConfig): IdentityProvider {
  const cognito = config.client ?? instrumentClient(new CognitoIdentityProviderClient({}));
  return createCognitoIdentityProvider({
    identityIssuer: config.identityIssuer,
    providerName: config.providerName,
    domain: config.domain,
    tokenIssuer: config.tokenIssuer,
    jwksUrl: config.jwksUrl,
    clientId: config.clientId,
    clientSecret: clientSecretReader(cognito, config.userPoolId, config.clientId),
    redirectUri: config.redirectUri,
    users: cognitoFederatedUsers(cognito, config.userPoolId),
  });
}
