/**
 * PAYMENTS.md: vnp_CreateDate and vnp_ExpireDate are GMT+7 whatever the server's timezone.
 * The same instants are rendered in child processes under three TZ settings.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const protocol = fileURLToPath(new URL('../../shared/payments/vnpay/protocol.ts', import.meta.url));

// Instants around the GMT+7 midnight and New York's DST change (2025-03-09 07:00Z).
const INSTANTS = [
  '2025-03-09T06:59:59.000Z',
  '2025-03-09T07:00:00.000Z',
  '2024-12-31T16:59:59.500Z',
  '2024-12-31T17:00:00.000Z',
];

const script = `
import { buildPaymentUrl, vnpDate } from ${JSON.stringify(protocol)};
const out = ${JSON.stringify(INSTANTS)}.map((iso) => {
  const createdAt = new Date(iso);
  const { params } = buildPaymentUrl(
    { tmnCode: 'TNOCOP01', hashSecret: 's', payUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' },
    { amountVnd: 1000, txnRef: 'T1', orderInfo: 'tz', returnUrl: 'https://x.vn/r', ipAddr: '127.0.0.1',
      createdAt, expiresAt: new Date(createdAt.getTime() + 15 * 60000) },
  );
  return { create: params.vnp_CreateDate, expire: params.vnp_ExpireDate, direct: vnpDate(createdAt) };
});
// The child's own offset proves TZ took effect (ICU may call Ho Chi Minh City 'Asia/Saigon').
console.log(JSON.stringify({ offset: new Date('2025-01-01T00:00:00Z').getTimezoneOffset(), out }));
`;

async function renderUnder(tz: string) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, TZ: tz },
  });
  return JSON.parse(stdout) as { offset: number; out: { create: string; expire: string; direct: string }[] };
}

describe('GMT+7 dates whatever the process TZ', () => {
  it('vnp_CreateDate and vnp_ExpireDate are identical under UTC, Asia/Ho_Chi_Minh and America/New_York', async () => {
    const results = await Promise.all(['UTC', 'Asia/Ho_Chi_Minh', 'America/New_York'].map(renderUnder));
    expect(results.map((r) => r.offset)).toEqual([0, -420, 300]);
    const expected = [
      { create: '20250309135959', expire: '20250309141459', direct: '20250309135959' },
      { create: '20250309140000', expire: '20250309141500', direct: '20250309140000' },
      { create: '20241231235959', expire: '20250101001459', direct: '20241231235959' },
      { create: '20250101000000', expire: '20250101001500', direct: '20250101000000' },
    ];
    for (const r of results) expect(r.out).toEqual(expected);
  }, 30_000);
});
