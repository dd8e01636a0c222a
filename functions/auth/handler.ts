import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { createCognitoSignInProvider } from '../../shared/auth/cognito-sign-in.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { cognitoIdentityProvider } from '../adapters/cognito-identity.ts';
import { app } from './app.ts';

installLambdaServices('auth', {
  signIn: createCognitoSignInProvider,
  tokens: remoteAuthConfig,
  identity: cognitoIdentityProvider,
});

export const handler = observed('auth', handle(app));
