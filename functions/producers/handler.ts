import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { app } from './app.ts';

installLambdaServices('producers');

export const handler = observed('producers', handle(app));
