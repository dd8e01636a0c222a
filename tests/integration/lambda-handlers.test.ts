/**
 * Every Lambda entry built as AWS builds it: an AWS-shaped environment (fake values), the module
 * imported fresh so its cold start runs, then one event of the kind AWS sends it. The table is
 * DynamoDB Local (`DYNAMODB_ENDPOINT`); every other AWS service the functions call (SNS, SQS for
 * the Notices queue, SSM, Cognito, S3 for the catalog's snapshots) and the user pool's JWKS are answered by an in-process fake on loopback, reached
 * through the SDK's own endpoint settings (`AWS_ENDPOINT_URL_<SERVICE>`), so nothing leaves the
 * machine and the code under test is the deployed code.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { db } from '../../shared/db/client.ts';
import { signPaymentResult } from '../../shared/payments/vnpay/protocol.ts';
import { createShop, orderBody, place, type Shop } from './orders-world.ts';
import { invoices } from '../../shared/db/invoices.ts';
import { startEinvoiceEmulator } from '../../infra/local/einvoice-emulator.ts';

const ORIGIN_SECRET = 'origin-verify-secret-of-the-test-distribution';
const SITE_URL = 'https://cho.example.vn';
const VNPAY_SECRET = 'VNPAYSECRETOFTHETESTTERMINAL0001';
const VNPAY_PREVIOUS_SECRET = 'VNPAYSECRETBEFORETHESWITCH000001';
const SNAPSHOT_BUCKET = 'tn-exchange-catalog-snapshots-test';

interface Published {
  PhoneNumber: string;
  Message: string;
  attributes: Record<string, string>;
}

/** What the fake AWS saw. */
const published: Published[] = [];
/** Bodies put on the fake Notices queue (SQS SendMessage), not yet taken by the notices worker. */
const queuedNotices: { queueUrl: string; body: string }[] = [];
const NOTICES_QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/TnExchange-prod-Notices';
/** The fake Parameter Store's own parameters (the sellers' SInvoice accounts), by name. */
const ssmParameters = new Map<string, { Value: string; Type: string }>();
/** Where the delivery lane finds SInvoice (an emulator in the test that issues). */
let sinvoiceUrl = 'https://sinvoice.viettel.vn:8443';
const calls: string[] = [];
let server: Server;
let endpoint: string;
let shop: Shop;
/** Objects of the fake S3, by key (path-style requests on the snapshot bucket). */
const s3Objects = new Map<string, Buffer>();
const savedEnv = { ...process.env };

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** S3 GetObject and PutObject on the snapshot bucket, path style, bodies kept as bytes. */
async function fakeS3(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const key = decodeURIComponent(new URL(req.url!, 'http://s3').pathname.slice(SNAPSHOT_BUCKET.length + 2));
  calls.push(`s3:${req.method} ${key}`);
  if (req.method === 'PUT') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    s3Objects.set(key, Buffer.concat(chunks));
    return void res.writeHead(200, { etag: '"e"' }).end();
  }
  const object = s3Objects.get(key);
  if (object) return void res.writeHead(200, { 'content-type': 'application/json' }).end(object);
  res
    .writeHead(404, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Key>${key}</Key></Error>`);
}

/** SNS (query protocol), SSM and Cognito (JSON 1.1), S3, the JWKS and a webhook receiver. */
function fakeAws(): Server {
  return createServer((req, res) => {
    if (req.url?.startsWith(`/${SNAPSHOT_BUCKET}/`)) return void fakeS3(req, res);
    void body(req).then((text) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(value));
      };
      if (req.url === '/auth/.well-known/jwks.json') {
        calls.push('jwks');
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(shop.issuer.jwks));
      }
      if (req.url === '/webhook') return void res.writeHead(200).end('{}');
      if (text.startsWith('Action=')) {
        const form = new URLSearchParams(text);
        calls.push(`sns:${form.get('Action')}`);
        const attributes: Record<string, string> = {};
        for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
          attributes[form.get(`MessageAttributes.entry.${i}.Name`)!] =
            form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
        }
        published.push({ PhoneNumber: form.get('PhoneNumber')!, Message: form.get('Message')!, attributes });
        return void res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
              `<MessageId>m-${published.length}</MessageId></PublishResult>` +
              '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
          );
      }
      calls.push(target);
      switch (target) {
        case 'AmazonSQS.SendMessage': {
          const input = JSON.parse(text) as { QueueUrl: string; MessageBody: string };
          // Signed as the SDK signs (SigV4 for sqs in the function's region).
          if (
            !/^AWS4-HMAC-SHA256 Credential=AKIDLAMBDATEST\/\d{8}\/ap-southeast-1\/sqs\/aws4_request/.test(
              String(req.headers.authorization),
            )
          ) {
            return json(403, { __type: 'InvalidSignatureException', message: 'unsigned' });
          }
          queuedNotices.push({ queueUrl: input.QueueUrl, body: input.MessageBody });
          // The SDK checks the body's MD5 in the answer, as SQS gives it.
          const md5 = createHash('md5').update(input.MessageBody).digest('hex');
          return json(200, { MessageId: `q-${queuedNotices.length}`, MD5OfMessageBody: md5 });
        }
        case 'AmazonSSM.GetParametersByPath':
          return json(200, {
            Parameters: [
              { Name: '/tn-exchange/payments/vnpay-hash-secret', Value: VNPAY_SECRET },
              // A switch of the terminal's secret under way: the old one is still accepted.
              { Name: '/tn-exchange/payments/vnpay-hash-secret-previous', Value: VNPAY_PREVIOUS_SECRET },
              { Name: '/tn-exchange/payments/vietqr-notification-secret', Value: 'bank-secret-of-the-test' },
              { Name: '/tn-exchange/payments/webhook-secret', Value: 'whsec_test_of_the_lambda_entries' },
            ],
          });
        case 'AmazonSSM.PutParameter': {
          const input = JSON.parse(text) as {
            Name: string;
            Value: string;
            Type: string;
            Overwrite?: boolean;
          };
          if (ssmParameters.has(input.Name) && !input.Overwrite) {
            return json(400, { __type: 'ParameterAlreadyExists', message: input.Name });
          }
          ssmParameters.set(input.Name, { Value: input.Value, Type: input.Type });
          return json(200, { Version: 1, Tier: 'Standard' });
        }
        case 'AmazonSSM.GetParameter': {
          const input = JSON.parse(text) as { Name: string; WithDecryption?: boolean };
          const found = ssmParameters.get(input.Name);
          if (!found) return json(400, { __type: 'ParameterNotFound', message: input.Name });
          return json(200, {
            Parameter: {
              Name: input.Name,
              Type: found.Type,
              Value: input.WithDecryption ? found.Value : 'AQICAH',
            },
          });
        }
        case 'AWSCognitoIdentityProviderService.DescribeUserPoolClient':
          return json(200, { UserPoolClient: { ClientSecret: 'client-secret-of-the-test' } });
        case 'AWSCognitoIdentityProviderService.AdminCreateUser':
          return json(200, { User: { Username: 'u' } });
        case 'AWSCognitoIdentityProviderService.InitiateAuth':
          return json(200, { ChallengeName: 'SMS_OTP', Session: 'session-of-the-test' });
        default:
          return json(400, { __type: 'UnknownOperationException', message: target });
      }
    });
  });
}

/** The environment the CDK app gives every function (fake values), pointed at the fakes. */
function awsEnvironment(name: string): NodeJS.ProcessEnv {
  return {
    PATH: savedEnv.PATH,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: `TnExchange-Api-${name}`,
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDATEST',
    AWS_SECRET_ACCESS_KEY: 'lambda-test-secret',
    AWS_SESSION_TOKEN: 'lambda-test-session',
    TABLE_NAME: db().tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_SNS: endpoint,
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_SQS: endpoint,
    NOTICES_QUEUE_URL,
    CATALOG_SNAPSHOT_BUCKET: SNAPSHOT_BUCKET,
    SITE_URL,
    CURSOR_SECRET: 'c'.repeat(48),
    ORIGIN_VERIFY_SECRET: ORIGIN_SECRET,
    AUTH_ISSUER: shop.issuer.issuer,
    AUTH_AUDIENCE: shop.issuer.audience,
    AUTH_JWKS_URL: `${endpoint}/auth/.well-known/jwks.json`,
    COGNITO_USER_POOL_ID: 'ap-southeast-1_TEST',
    COGNITO_CLIENT_ID: 'client-of-the-test',
    MEDIA_BUCKET: 'tn-exchange-media-test',
    MEDIA_PREFIX: 'media/',
    PAYMENTS_SSM_PATH: '/tn-exchange/payments',
    EINVOICE_SSM_PATH: '/tn-exchange/einvoice',
    EINVOICE_BASE_URL: sinvoiceUrl,
    VNPAY_TMN_CODE: 'TNTEST01',
    VIETQR_BANK_BIN: '970436',
    VIETQR_ACCOUNT_NUMBER: '0011004999999',
    VIETQR_ACCOUNT_NAME: 'HTX CHE TAN CUONG THAI NGUYEN',
    WEBHOOK_ENDPOINTS: `${endpoint}/webhook`,
    RATE_LIMITS: 'off',
    SMS_SENDER_ID: 'OCOPTN',
  };
}

type Entry = (event: unknown, context: unknown) => Promise<unknown>;

/** Imports a function's entry as a cold start does: fresh modules, the AWS environment. */
async function coldStart(entry: string, env: NodeJS.ProcessEnv): Promise<Entry> {
  process.env = env;
  vi.resetModules();
  const module = (await import(`../../${entry}`)) as { handler: Entry };
  return module.handler;
}

const context = {
  awsRequestId: 'req-test',
  functionName: 'test',
  getRemainingTimeInMillis: () => 60_000,
};

const template = JSON.parse(
  readFileSync(new URL('../fixtures/apigw-v2-get-product.json', import.meta.url), 'utf8'),
) as APIGatewayProxyEventV2;

/** An API Gateway v2 event as CloudFront → API Gateway deliver it (origin-verify header set). */
function httpEvent(
  method: string,
  path: string,
  init: { body?: unknown; token?: string; routeKey?: string } = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ''] = path.split('?');
  return {
    ...template,
    routeKey: init.routeKey ?? `${method} ${rawPath}`,
    rawPath: rawPath!,
    rawQueryString,
    headers: {
      ...template.headers,
      'x-origin-verify': ORIGIN_SECRET,
      'content-type': 'application/json',
      'idempotency-key': `k_lambda_${Date.now().toString(36)}`,
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    requestContext: {
      ...template.requestContext,
      http: { ...template.requestContext.http, method, path: rawPath! },
      routeKey: init.routeKey ?? `${method} ${rawPath}`,
    },
    pathParameters: {},
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    isBase64Encoded: false,
  };
}

/**
 * The notices worker's turn: a cold start of its entry, then every message queued so far as one
 * SQS batch, as the event source hands them over. Its SNS publishes land in `published`.
 */
async function sendQueuedNotices(): Promise<unknown> {
  const batch = queuedNotices.splice(0);
  expect(batch.every((n) => n.queueUrl === NOTICES_QUEUE_URL)).toBe(true);
  const handler = await coldStart(FUNCTIONS.noticesJobs.entry, awsEnvironment('noticesJobs'));
  return handler(
    {
      Records: batch.map((n, i) => ({
        messageId: `n-${i}`,
        body: n.body,
        attributes: { SentTimestamp: String(Date.now()), ApproximateReceiveCount: '1' },
      })),
    },
    context,
  );
}

async function invokeHttp(name: FunctionName, event: APIGatewayProxyEventV2) {
  const handler = await coldStart(FUNCTIONS[name].entry, awsEnvironment(name));
  const result = (await handler(event, context)) as Exclude<APIGatewayProxyResultV2, string>;
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

beforeAll(async () => {
  shop = await createShop();
  server = fakeAws();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  vi.resetModules();
  await new Promise<void>((done) => server.close(() => done()));
});

describe('the Lambda entries, built from an AWS-shaped environment', () => {
  it('catalog answers a product list', async () => {
    const answer = await invokeHttp('catalog', httpEvent('GET', '/api/catalog/products?limit=2'));
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body.items)).toBe(true);
  });

  it('the catalog snapshot job stores every shard in S3, and a cold catalog starts from them', async () => {
    const job = await coldStart(FUNCTIONS.catalogSnapshot.entry, awsEnvironment('catalogSnapshot'));
    const report = (await job({ source: 'catalog-snapshot-schedule' }, context)) as {
      shards: number;
      items: number;
    };
    const { CATALOG_SHARD_KEYS } = await import('../../shared/db/items.ts');
    expect(report.shards).toBe(CATALOG_SHARD_KEYS.length);
    expect(report.items).toBeGreaterThan(0);
    expect([...s3Objects.keys()].sort()).toEqual(
      CATALOG_SHARD_KEYS.map((shard) => `catalog/${encodeURIComponent(shard)}.json.gz`).sort(),
    );

    const reads = () => calls.filter((c) => c.startsWith('s3:GET')).length;
    const before = reads();
    const answer = await invokeHttp('catalog', httpEvent('GET', '/api/catalog/products?limit=2'));
    expect(answer.status).toBe(200);
    expect((answer.body.items as unknown[]).length).toBeGreaterThan(0);
    expect(reads() - before).toBe(CATALOG_SHARD_KEYS.length);
    const { catalogCache } = await import('../../functions/catalog/app.ts');
    expect(catalogCache.stats.fullLoad?.fromSnapshot).toBe(CATALOG_SHARD_KEYS.length);
  });

  it('auth starts a sign-in through Cognito', async () => {
    const answer = await invokeHttp(
      'auth',
      httpEvent('POST', '/api/auth/start', { body: { phone: '0912345678' } }),
    );
    expect(answer.status).toBe(202);
    expect(calls).toContain('AWSCognitoIdentityProviderService.InitiateAuth');
  });

  it('producers sends a household’s consent code by SMS through SNS (was 500: no messenger in AWS)', async () => {
    const answer = await invokeHttp(
      'producers',
      httpEvent('POST', '/api/seller/proxy-consents', {
        token: shop.actors.managerA.token,
        body: { householdId: shop.member.id },
      }),
    );
    expect(answer.status).toBe(201);
    // Queued, not sent: the request does not wait for SNS.
    expect(published.find((m) => m.PhoneNumber === shop.member.phone)).toBeUndefined();
    expect(queuedNotices.some((n) => n.body.includes('consent_code'))).toBe(true);
    expect(await sendQueuedNotices()).toEqual({ batchItemFailures: [] });
    const sms = published.find((m) => m.PhoneNumber === shop.member.phone);
    expect(sms?.Message).toMatch(/xin đăng sản phẩm thay cho hộ .* đọc mã \d{6}/);
    expect(sms?.attributes).toEqual({
      'AWS.SNS.SMS.SMSType': 'Transactional',
      'AWS.SNS.SMS.SenderID': 'OCOPTN',
    });
  });

  it('orders places a COD order with the payment secrets from SSM and texts an absolute link', async () => {
    const answer = await invokeHttp(
      'orders',
      httpEvent('POST', '/api/orders', {
        body: orderBody([{ variantId: shop.packs.independentTea.id, quantity: 1 }]),
      }),
    );
    expect(answer.status).toBe(201);
    expect(calls).toContain('AmazonSSM.GetParametersByPath');
    const code = (answer.body.order as { code: string }).code;
    expect(published.find((m) => m.Message.includes(code))).toBeUndefined();
    expect(await sendQueuedNotices()).toEqual({ batchItemFailures: [] });
    const sms = published.find((m) => m.Message.includes(code));
    expect(sms?.PhoneNumber).toBe('+84987654321');
    expect(sms?.Message).toContain(`${SITE_URL}/thanh-toan/da-dat/?ma=${code}`);
  });

  it('board verifies the manager’s token against the user pool keys and lists its orders', async () => {
    const coop = shop.coopA.id;
    const answer = await invokeHttp(
      'board',
      httpEvent('GET', `/api/board/${coop}/orders`, { token: shop.actors.managerA.token }),
    );
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body.items)).toBe(true);
    const stranger = await invokeHttp(
      'board',
      httpEvent('GET', `/api/board/${shop.coopB.id}/orders`, { token: shop.actors.managerA.token }),
    );
    expect(stranger.status).toBe(403);
    const anonymous = await invokeHttp('board', httpEvent('GET', `/api/board/${coop}/orders`));
    expect(anonymous.status).toBe(401);
  });

  it('seasons serves the shopper’s pre-order list to anyone and the manager’s view to a verified token only', async () => {
    const windows = await invokeHttp('seasons', httpEvent('GET', '/api/preorders'));
    expect(windows.status).toBe(200);
    expect(Array.isArray(windows.body.items)).toBe(true);
    const coop = shop.coopA.id;
    const board = await invokeHttp(
      'seasons',
      httpEvent('GET', `/api/board/${coop}/preorders`, { token: shop.actors.managerA.token }),
    );
    expect(board.status).toBe(200);
    expect(Array.isArray(board.body.items)).toBe(true);
    const anonymous = await invokeHttp('seasons', httpEvent('GET', `/api/board/${coop}/preorders`));
    expect(anonymous.status).toBe(401);
  });

  it('callbacks checks an IPN under the current or, during a switch, the previous VNPay secret', async () => {
    const ipn = (secret: string) =>
      signPaymentResult(
        {
          vnp_Amount: '18500000',
          vnp_BankCode: 'NCB',
          vnp_OrderInfo: 'Thanh toan don hang',
          vnp_PayDate: '20260301092001',
          vnp_ResponseCode: '00',
          vnp_TmnCode: 'TNTEST01',
          vnp_TransactionNo: '14000001',
          vnp_TransactionStatus: '00',
          vnp_TxnRef: 'UNKNOWNTXNREF01',
        },
        secret,
      );
    const answer = async (secret: string) =>
      (await invokeHttp('callbacks', httpEvent('GET', `/api/payments/vnpay/ipn?${ipn(secret)}`))).body;
    // Signature accepted, then the order is looked up (unknown here: 01); a wrong one is 97.
    expect(await answer(VNPAY_SECRET)).toMatchObject({ RspCode: '01' });
    expect(await answer(VNPAY_PREVIOUS_SECRET)).toMatchObject({ RspCode: '01' });
    expect(await answer('SOMEONEELSESSECRETSOMEONEELSES01')).toMatchObject({ RspCode: '97' });
  });

  it('labels verifies the seller’s token and looks the lot up', async () => {
    const path = '/api/seller/lots/UNKNOWN-LOT-1/label?format=svg';
    const anonymous = await invokeHttp('labels', httpEvent('GET', path));
    expect(anonymous.status).toBe(401);
    const unknown = await invokeHttp('labels', httpEvent('GET', path, { token: shop.actors.managerA.token }));
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'lot.not_found' } });
  });

  it('media ignores an event of another bucket without touching S3', async () => {
    const handler = await coldStart(FUNCTIONS.media.entry, awsEnvironment('media'));
    const result = await handler(
      {
        'detail-type': 'Object Created',
        source: 'aws.s3',
        detail: { bucket: { name: 'someone-else' }, object: { key: 'uploads/p/x', size: 1 } },
      },
      context,
    );
    expect(result).toEqual({ status: 'ignored', reason: 'not_an_upload_of_this_bucket' });
  });

  for (const [name, kind] of [
    ['expiryJobs', 'expiry'],
    ['reconcileJobs', 'reconcile'],
    ['deliveryJobs', 'delivery'],
  ] as const) {
    it(`${name} runs a ${kind} message from its queue`, async () => {
      const handler = await coldStart(FUNCTIONS[name].entry, awsEnvironment(name));
      const { tickMessages } = await import('../../functions/orders/job-messages.ts');
      const result = await handler(
        { Records: [{ messageId: `m-${kind}`, body: JSON.stringify(tickMessages(kind)[0]) }] },
        context,
      );
      expect(result).toEqual({ batchItemFailures: [] });
    });
  }

  it('office saves a seller’s SInvoice account as a SecureString; the delivery lane issues with it', async () => {
    const sinvoice = await startEinvoiceEmulator();
    const account = { username: 'htx-lambda-01', password: 'Mat-khau-Lambda-1' };
    sinvoice.emulator.account('4600123456', account);
    sinvoiceUrl = sinvoice.url;
    try {
      const path = `/api/board/${shop.coopA.id}/invoice-settings`;
      const settings = {
        enabled: true,
        legalName: 'Hợp tác xã Chè La Bằng',
        taxCode: '4600123456',
        address: 'Xã La Bằng, tỉnh Thái Nguyên',
        templateCode: '1/001',
        series: 'C25TAA',
        issueOn: 'completed',
        grower: true,
      };
      const token = shop.actors.managerA.token;
      // In AWS nobody has a shared account: on without one is refused.
      const refused = await invokeHttp('office', httpEvent('PUT', path, { token, body: settings }));
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      const saved = await invokeHttp(
        'office',
        httpEvent('PUT', path, { token, body: { ...settings, credentials: account } }),
      );
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body.settings).toMatchObject({ credentialsSet: true });
      expect(JSON.stringify(saved.body)).not.toContain(account.password);
      expect(calls).toContain('AmazonSSM.PutParameter');
      const parameter = ssmParameters.get(`/tn-exchange/einvoice/${shop.coopA.id}`);
      expect(parameter?.Type).toBe('SecureString');
      expect(JSON.parse(parameter!.Value)).toEqual(account);

      // A completed part's due marker, run by the delivery lane's worker over every shard group.
      const placed = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }]));
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const code = placed.body.order.code as string;
      await invoices.putDue(
        {
          orderCode: code,
          fulfillerId: shop.coopA.id,
          kindKey: 'ORIGINAL',
          action: 'issue',
          trigger: 'completed',
        },
        Date.now(),
      );
      const handler = await coldStart(FUNCTIONS.deliveryJobs.entry, awsEnvironment('deliveryJobs'));
      const { tickMessages } = await import('../../functions/orders/job-messages.ts');
      const result = await handler(
        {
          Records: tickMessages('delivery').map((message, i) => ({
            messageId: `m-invoice-${i}`,
            body: JSON.stringify(message),
          })),
        },
        context,
      );
      expect(result).toEqual({ batchItemFailures: [] });
      expect(calls).toContain('AmazonSSM.GetParameter');
      expect(await invoices.get(code, shop.coopA.id, 'ORIGINAL')).toMatchObject({ status: 'issued' });
      expect(sinvoice.emulator.issued.filter((i) => i.supplierTaxCode === '4600123456')).toHaveLength(1);
    } finally {
      sinvoiceUrl = 'https://sinvoice.viettel.vn:8443';
      await sinvoice.stop();
    }
  });

  it('the storefront invalidation answers a stream batch that changes no page', async () => {
    const env = { ...awsEnvironment('siteInvalidate'), DISTRIBUTION_ID: 'E2TESTDISTRIBUTION' };
    const handler = await coldStart('functions/site-rebuild/invalidate-handler.ts', env);
    expect(await handler({ Records: [] }, context)).toEqual({ result: 'unchanged', records: 0 });
  });

  it('the stats stream worker answers a batch with nothing to count', async () => {
    const handler = await coldStart(FUNCTIONS.statsStream.entry, awsEnvironment('statsStream'));
    expect(await handler({ Records: [] }, context)).toEqual({ batchItemFailures: [] });
  });

  it('the IOC feed worker pushes the asked day, signed, to the configured endpoint', async () => {
    const env = {
      ...awsEnvironment('iocFeed'),
      IOC_ENDPOINT: `${endpoint}/webhook`,
      IOC_SIGNING_SECRET: 'ioc-signing-secret-of-the-test',
    };
    const handler = await coldStart(FUNCTIONS.iocFeed.entry, env);
    const result = await handler(
      {
        Records: [
          { messageId: 'm-ioc', body: JSON.stringify({ kind: 'ioc', date: '2026-04-01' }), attributes: {} },
        ],
      },
      context,
    );
    expect(result).toEqual({ batchItemFailures: [] });
    // A message that is not the feed's is a failure of that message, not of the batch.
    const bad = await handler(
      { Records: [{ messageId: 'm-bad', body: '{"kind":"other"}', attributes: {} }] },
      context,
    );
    expect(bad).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
  });

  it('noticesJobs sends a notice the queue delivers twice once, through SNS', async () => {
    const text = `Sàn OCOP Thái Nguyên: đơn TN-TWICE đã được đặt (${Date.now()}).`;
    const body = JSON.stringify({
      to: '+84912000999',
      kind: 'notification',
      text,
      key: `twice-${Date.now()}`,
    });
    queuedNotices.push({ queueUrl: NOTICES_QUEUE_URL, body }, { queueUrl: NOTICES_QUEUE_URL, body });
    expect(await sendQueuedNotices()).toEqual({ batchItemFailures: [] });
    expect(published.filter((m) => m.Message === text)).toHaveLength(1);
    // A body that is not a notice comes back (and ends in the dead-letter queue), never sent.
    queuedNotices.push({ queueUrl: NOTICES_QUEUE_URL, body: '{"to":"+84912000999"}' });
    expect(await sendQueuedNotices()).toEqual({ batchItemFailures: [{ itemIdentifier: 'n-0' }] });
  });

  it('covers every function of the route table', () => {
    expect(Object.keys(FUNCTIONS).sort()).toEqual(
      [
        'auth',
        'board',
        'callbacks',
        'catalog',
        'deliveryJobs',
        'expiryJobs',
        'media',
        'orders',
        'producers',
        'reconcileJobs',
        'statsStream',
        'catalogSnapshot',
        'iocFeed',
        'noticesJobs',
        'seasons',
        'office',
        'labels',
      ].sort(),
    );
  });
});

describe('a cold start with bad configuration', () => {
  it('fails loudly, naming every missing or malformed setting', async () => {
    const env = awsEnvironment('orders');
    delete env.TABLE_NAME;
    delete env.PAYMENTS_SSM_PATH;
    env.CURSOR_SECRET = 'too-short';
    env.SITE_URL = 'cho.example.vn';
    await expect(coldStart(FUNCTIONS.orders.entry, env)).rejects.toThrow(
      /function TnExchange-Api-orders is invalid: .*SITE_URL.*CURSOR_SECRET must be at least 32 characters.*TABLE_NAME is not set.*PAYMENTS_SSM_PATH is not set/,
    );
  });
});
