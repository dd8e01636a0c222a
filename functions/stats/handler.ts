/** Lambda entry of the stats stream worker (FUNCTIONS.statsStream): see stream-worker.ts. */
import { installLambdaServices } from '../services.ts';
import { observed } from '../observability.ts';
import { streamHandler } from './stream-worker.ts';

installLambdaServices('statsStream');

export const handler = observed('statsStream', streamHandler);
