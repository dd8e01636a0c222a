import { handle } from 'hono/aws-lambda';
import { installLambdaServices } from '../services.ts';
import { app } from './app.ts';

installLambdaServices('auth');

export const handler = handle(app);
