import { installLambdaServices } from '../services.ts';
import { createSnsMessenger } from '../adapters/sns-messenger.ts';
import { noticeRouter } from '../adapters/zalo-messenger.ts';
import { noticesWorker } from './notices-handler.ts';

// The one function that sends: SNS, and Zalo when configured, behind the channel router.
installLambdaServices('noticesJobs', { messenger: createSnsMessenger, router: noticeRouter });

/** The notices worker: batches from the Notices queue (functions/messaging/notices-handler.ts). */
export const handler = noticesWorker();
