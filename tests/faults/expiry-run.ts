/**
 * One run of the expiry lane in a process of its own, as a worker function runs it: every shard
 * group of one tick, against the table named by DYNAMODB_ENDPOINT and TABLE_NAME, at the time
 * RUN_AT_MS. The fault test kills it half-way (SIGKILL) and runs it again.
 */
import { runJob, tickMessages } from '../../functions/orders/jobs.ts';
import { paymentSettings } from '../../shared/payments/settings.ts';
import { provideServices } from '../../shared/services.ts';
import { localConfig, localServices } from '../../infra/local/services.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const now = new Date(Number(process.env.RUN_AT_MS));
// Nothing is paid or announced here: the dev payment settings, on an origin nobody listens at.
// The table from DYNAMODB_ENDPOINT and TABLE_NAME, as the local composition reads them.
provideServices(
  localServices({
    config: localConfig({}),
    payments: paymentSettings({ env: {}, origin: 'http://127.0.0.1:9', vnpayHost: 'http://127.0.0.1:9' }),
  }),
);
const reports = await Promise.all(tickMessages('expiry').map((message) => runJob(message, { now })));
const total = { expired: 0, paid: 0, skipped: 0 };
for (const r of reports) {
  if (r.kind !== 'expiry') continue;
  total.expired += r.report.expired;
  total.paid += r.report.paid;
  total.skipped += r.report.skipped;
}
console.log(JSON.stringify(total));
