/** Lambda entry of the IOC feed's push (FUNCTIONS.iocFeed): see ioc-worker.ts. */
import { installLambdaServices } from '../services.ts';
import { observed } from '../observability.ts';
import { iocWorker } from './ioc-worker.ts';

installLambdaServices('iocFeed');

export const handler = observed('iocFeed', iocWorker());
