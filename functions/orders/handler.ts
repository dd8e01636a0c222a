import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { app } from './app.ts';

export const handler = observed('orders', handle(app));
