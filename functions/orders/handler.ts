import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { createSnsMessenger } from '../adapters/sns-messenger.ts';
import { paymentsFromSsm } from './payments.ts';
import { carriersFromSsm } from './carriers.ts';
import { app } from './app.ts';

installLambdaServices('orders', {
  messenger: createSnsMessenger,
  payments: paymentsFromSsm,
  carriers: carriersFromSsm,
});

export const handler = observed('orders', handle(app));
