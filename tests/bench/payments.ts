/**
 * VNPay figures (payments issue budgets). Prints, asserts nothing:
 * - sign + verify throughput of a typical IPN query (HMAC-SHA512 over the canonical query, then
 *   the constant-time check of it); budget ≥ 20,000/s;
 * - `handleVnpayIpn` latency in-process against DynamoDB Local, over a mix of first-time
 *   successes (2 reads + the settling transaction) and duplicates VNPay retries (reads only);
 *   budget p99 ≤ 20 ms.
 * Works on a fresh table: on `endpoint` when given (run.ts's DynamoDB Local), else on a DynamoDB
 * Local of its own. The process-wide table is restored afterwards.
 *
 * Run alone: `npx tsx tests/bench/payments.ts`.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../../shared/db/client.ts';
import { provideServices, services, servicesInstalled } from '../../shared/services.ts';
import { localConfig, localServices } from '../../infra/local/services.ts';
import { createTable } from '../../shared/db/create-table.ts';
import { createPayments } from '../../shared/payments/index.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { handleVnpayIpn } from '../../shared/payments/vnpay/ipn.ts';
import { createVnpayProvider, type VnpaySettings } from '../../shared/payments/vnpay/provider.ts';
import {
  signPaymentResult,
  verifySignedQuery,
  vnpDate,
  type PaymentResultParams,
} from '../../shared/payments/vnpay/protocol.ts';
import { percentile } from './measure.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BUDGET = { signVerifyPerSecond: 20_000, ipnP99Ms: 20 };

const settings: VnpaySettings = {
  tmnCode: 'TNOCOP01',
  hashSecret: 'BENCHSECRET0123456789ABCDEFGHIJK',
  payUrl: 'http://127.0.0.1:9/paymentv2/vpcpay.html',
  apiUrl: 'http://127.0.0.1:9/merchant_webapi/api/transaction',
  returnUrl: 'https://cho.example.vn/thanh-toan/ket-qua',
};

function ipnResult(intent: PaymentIntent, n: number): PaymentResultParams {
  return {
    vnp_Amount: `${intent.amount}00`,
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: `VNP${14_000_000 + n}`,
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Thanh toan don hang DH-TN-0001 Che Tan Cuong',
    vnp_PayDate: vnpDate(new Date()),
    vnp_ResponseCode: '00',
    vnp_TmnCode: settings.tmnCode,
    vnp_TransactionNo: String(14_000_000 + n),
    vnp_TransactionStatus: '00',
    vnp_TxnRef: intent.metadata.vnp_txn_ref!,
  };
}

/** Signs a typical IPN query, then verifies it, for about `ms` milliseconds. */
function signVerifyThroughput(ms = 1_500): { ops: number; perSecond: number } {
  const intent = {
    amount: 185_000,
    metadata: { vnp_txn_ref: 'B0123456789ABCDEFGHIJK' },
  } as unknown as PaymentIntent;
  const params = ipnResult(intent, 1);
  for (let i = 0; i < 2_000; i++)
    verifySignedQuery(signPaymentResult(params, settings.hashSecret), settings.hashSecret);
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 500; i++) {
      const query = signPaymentResult({ ...params, vnp_TransactionNo: String(ops + i) }, settings.hashSecret);
      if (!verifySignedQuery(query, settings.hashSecret).valid) throw new Error('did not verify');
    }
    ops += 500;
    elapsed = performance.now() - start;
  }
  return { ops, perSecond: Math.round((ops / elapsed) * 1000) };
}

async function ipnLatency(intents: number, duplicatesPerIntent: number) {
  const payments = createPayments({ providers: { vnpay: createVnpayProvider(settings) } });
  const created: PaymentIntent[] = [];
  for (let i = 0; i < intents; i++) {
    created.push(
      await payments.paymentIntents.create({
        amount: 100_000 + i,
        currency: 'vnd',
        payment_method_types: ['vnpay'],
        metadata: { order_code: `DH-${i}` },
        confirm: true,
      }),
    );
  }
  // Each intent's IPN, then its duplicates spread later in the run (as VNPay's retries come).
  const calls: { query: string; first: boolean }[] = [];
  const queries = created.map((intent, n) => signPaymentResult(ipnResult(intent, n), settings.hashSecret));
  for (let n = 0; n < queries.length; n++) {
    calls.push({ query: queries[n]!, first: true });
    for (let d = 1; d <= duplicatesPerIntent && n - d * 7 >= 0; d++) {
      calls.push({ query: queries[n - d * 7]!, first: false });
    }
  }
  const warm = Math.min(50, calls.length);
  const samples = { first: [] as number[], duplicate: [] as number[] };
  const answers = new Map<string, number>();
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]!;
    const start = performance.now();
    const answer = await handleVnpayIpn(payments, settings, call.query);
    const took = performance.now() - start;
    answers.set(answer.RspCode, (answers.get(answer.RspCode) ?? 0) + 1);
    if (i >= warm) (call.first ? samples.first : samples.duplicate).push(took);
  }
  const summary = (label: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      case: label,
      calls: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1)!,
    };
  };
  return {
    rows: [
      summary('IPN, first (settles the intent)', samples.first),
      summary('IPN, duplicate (answers 02)', samples.duplicate),
      summary('IPN, all', [...samples.first, ...samples.duplicate]),
    ],
    answers: Object.fromEntries(answers),
  };
}

/**
 * The floor under the IPN figures: what DynamoDB Local itself takes for the settling write (a
 * 4-item TransactWriteItems, as intent + event log + outbox + marker delete) and for one read.
 */
async function dynamoFloor(runs: number) {
  const { doc, tableName } = db();
  const put = (pk: string) => ({
    Put: { TableName: tableName, Item: { pk, sk: 'X', payload: 'x'.repeat(1500) } },
  });
  const writes: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < runs; i++) {
    const id = randomUUID();
    let start = performance.now();
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          put(`FLOOR#${id}#1`),
          put(`FLOOR#${id}#2`),
          put(`FLOOR#${id}#3`),
          put(`FLOOR#${id}#4`),
        ],
      }),
    );
    writes.push(performance.now() - start);
    start = performance.now();
    await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: `FLOOR#${id}#1`, sk: 'X' }, ConsistentRead: true }),
    );
    reads.push(performance.now() - start);
  }
  const row = (label: string, values: number[]) => {
    const sorted = values.slice(20).sort((a, b) => a - b);
    return {
      case: label,
      calls: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1)!,
    };
  };
  return [
    row('floor: DynamoDB Local TransactWriteItems, 4 items', writes),
    row('floor: DynamoDB Local GetItem', reads),
  ];
}

export interface PaymentsBenchOptions {
  /** A running DynamoDB Local; without it the bench starts its own. */
  endpoint?: string;
  intents?: number;
  duplicatesPerIntent?: number;
}

export async function benchPayments(options: PaymentsBenchOptions = {}): Promise<Record<string, unknown>[]> {
  const previous = servicesInstalled() ? services() : undefined;
  let own: DynamoDbLocal | undefined;
  try {
    const endpoint = options.endpoint ?? (own = await startDynamoDbLocal()).endpoint;
    const tableName = `bench-payments-${randomUUID()}`;
    const bench = localServices({
      config: localConfig({ dynamodbEndpoint: endpoint, region: 'local', tableName }),
    });
    await createTable(bench.db.raw, tableName);
    provideServices(previous ? { ...previous, config: bench.config, db: bench.db } : bench);

    const throughput = signVerifyThroughput();
    const ipn = await ipnLatency(options.intents ?? 1_500, options.duplicatesPerIntent ?? 2);
    const floor = await dynamoFloor(500);
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    const all = ipn.rows.at(-1)!;
    const rows: Record<string, unknown>[] = [
      {
        case: 'VNPay sign + verify (typical IPN query)',
        runs: throughput.ops,
        result: `${throughput.perSecond.toLocaleString('en-US')}/s`,
        budget: `≥ ${BUDGET.signVerifyPerSecond.toLocaleString('en-US')}/s`,
        ok: throughput.perSecond >= BUDGET.signVerifyPerSecond,
      },
      ...[...ipn.rows, ...floor].map((r) => ({
        case: r.case,
        runs: r.calls,
        result: `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}`,
        budget: r === all ? `p99 ≤ ${BUDGET.ipnP99Ms} ms` : '',
        ok: r === all ? r.p99 <= BUDGET.ipnP99Ms : '',
      })),
    ];
    console.log('\nVNPay (in-process, DynamoDB Local)');
    console.table(rows);
    console.log(`IPN answers: ${JSON.stringify(ipn.answers)}`);
    return rows;
  } finally {
    if (previous) provideServices(previous);
    await own?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchPayments();
}
