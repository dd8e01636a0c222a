import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { app } from './app.ts';

installLambdaServices('labels', { tokens: remoteAuthConfig });

export const handler = observed('labels', handle(app));
