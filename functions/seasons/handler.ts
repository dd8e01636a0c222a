import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { createSnsMessenger } from '../adapters/sns-messenger.ts';
import { paymentsFromSsm } from '../orders/payments.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { app } from './app.ts';

installLambdaServices('seasons', {
  messenger: createSnsMessenger,
  payments: paymentsFromSsm,
  tokens: remoteAuthConfig,
});

export const handler = observed('seasons', handle(app));
