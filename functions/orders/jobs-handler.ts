import { runScheduledJobs } from './jobs.ts';

/** Invoked by the EventBridge schedule; the report goes to the function's log. */
export const handler = async () => {
  const report = await runScheduledJobs();
  console.info(JSON.stringify({ level: 'info', message: 'scheduled jobs', ...report }));
  return report;
};
