/**
 * How a process gets its carriers: in Lambda the tokens come from SSM on first use (a failed read
 * is retried by the next call), a carrier is offered only with both its tokens, and without
 * CARRIERS_SSM_PATH only the manual carrier is; the manual carrier prices by the flat fee it is
 * given.
 */
import { describe, expect, it } from 'vitest';
import type { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { buildLambdaServices } from '../../functions/services.ts';
import { carriersFromSsm } from '../../functions/orders/carriers.ts';
import { createManualProvider } from '../../shared/carriers/manual.ts';
import { CARRIER_FUNCTIONS } from '../../functions/routes.ts';

function ssm(parameters: Record<string, string>, failFirst = 0) {
  const calls: string[] = [];
  let failures = failFirst;
  return {
    calls,
    client: {
      send: async (command: GetParametersByPathCommand) => {
        calls.push(command.input.Path!);
        if (failures-- > 0) throw new Error('ThrottlingException');
        return {
          Parameters: Object.entries(parameters).map(([name, value]) => ({
            Name: `${command.input.Path}/${name}`,
            Value: value,
          })),
        };
      },
    } as never,
  };
}

describe('carriers from SSM', () => {
  it('offers each carrier whose two tokens are there, read once per container', async () => {
    const store = ssm({ 'ghn-token': 'a', 'ghn-webhook-token': 'b', 'ghtk-token': 'c' });
    const carriers = carriersFromSsm({ ssmPath: '/tn-exchange/prod/carriers', client: store.client });
    const first = await carriers();
    expect(Object.keys(first).sort()).toEqual(['ghn', 'manual']);
    expect(await carriers()).toBe(first);
    expect(store.calls).toEqual(['/tn-exchange/prod/carriers']);
  });

  it('a failed read is tried again by the next call', async () => {
    const store = ssm({ 'ghtk-token': 'c', 'ghtk-webhook-token': 'd' }, 1);
    const carriers = carriersFromSsm({ ssmPath: '/p', client: store.client });
    await expect(carriers()).rejects.toThrow('ThrottlingException');
    expect(Object.keys(await carriers()).sort()).toEqual(['ghtk', 'manual']);
  });

  it('without an SSM path: the manual carrier only, and no SSM call', async () => {
    const store = ssm({ 'ghn-token': 'a', 'ghn-webhook-token': 'b' });
    const carriers = carriersFromSsm({ client: store.client });
    expect(Object.keys(await carriers())).toEqual(['manual']);
    expect(store.calls).toEqual([]);
  });
});

describe('Lambda composition', () => {
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'TnExchange-Api-deliveryJobs',
    TABLE_NAME: 'exchange',
    PAYMENTS_SSM_PATH: '/tn-exchange/prod/payments',
    SITE_URL: 'https://chothainguyen.vn',
    // The delivery lane's worker also issues e-invoices.
    EINVOICE_BASE_URL: 'https://sinvoice.viettel.vn:8443',
    EINVOICE_SSM_PATH: '/tn-exchange/prod/einvoice',
  };
  const payments = (() => () => Promise.reject(new Error('unused'))) as never;
  const invoices = {
    invoiceCredentials: (() => ({})) as never,
    invoiceProvider: (() => ({})) as never,
  };

  it('orders, the callbacks, the board and the job workers get carriers; the others do not', () => {
    expect(CARRIER_FUNCTIONS).toEqual([
      'orders',
      'callbacks',
      'board',
      'expiryJobs',
      'reconcileJobs',
      'deliveryJobs',
    ]);
    const seen: unknown[] = [];
    const services = buildLambdaServices(
      'deliveryJobs',
      { ...env, CARRIERS_SSM_PATH: '/c', GHN_HOST: 'https://dev-online-gateway.ghn.vn', GHN_SHOP_ID: '885' },
      {
        payments,
        ...invoices,
        carriers: (input) => {
          seen.push(input);
          return carriersFromSsm(input);
        },
      },
    );
    expect(services.carriers).toBeTypeOf('function');
    expect(seen).toEqual([{ ssmPath: '/c', ghnHost: 'https://dev-online-gateway.ghn.vn', ghnShopId: '885' }]);
    const catalog = buildLambdaServices(
      'catalog',
      {
        ...env,
        AWS_LAMBDA_FUNCTION_NAME: 'TnExchange-Api-catalog',
        ORIGIN_VERIFY_SECRET: 'x',
        CURSOR_SECRET: 'c'.repeat(32),
        CATALOG_SNAPSHOT_BUCKET: 'tn-exchange-catalog-snapshots',
      },
      { snapshots: () => ({ get: () => Promise.resolve(undefined), put: () => Promise.resolve() }) },
    );
    expect(catalog.carriers).toBeUndefined();
  });

  it('a carrier function without the carriers adapter fails its cold start, naming it', () => {
    expect(() => buildLambdaServices('deliveryJobs', env, { payments, ...invoices })).toThrow(
      'The deliveryJobs function needs the carriers adapter',
    );
  });

  it('without CARRIERS_SSM_PATH the function has the manual carrier only', async () => {
    const services = buildLambdaServices('deliveryJobs', env, {
      payments,
      ...invoices,
      carriers: carriersFromSsm,
    });
    expect(Object.keys(await services.carriers!())).toEqual(['manual']);
  });
});

describe('the manual carrier', () => {
  const manual = createManualProvider();
  const at = new Date('2026-03-02T03:00:00Z');
  const parcel = { weightGrams: 800, lengthCm: 25, widthCm: 20, heightCm: 10, insuredValue: 150_000 };

  it('quotes the flat fee it is given, by the region’s longest delivery days', async () => {
    const quote = await manual.quote({
      from: { provinceCode: '19', wardCode: '05434' },
      to: { provinceCode: '79', wardCode: '26734' },
      parcel,
      codAmount: 0,
      at,
      flatFee: 42_000,
    });
    // Elsewhere: 3–5 days (shared/orders/regions.ts), the latest day quoted.
    expect(quote).toEqual({ carrier: 'manual', fee: 42_000, estimatedDelivery: '2026-03-07' });
  });

  it('without a flat fee, the default rules’ fee for the region', async () => {
    const quote = await manual.quote({
      from: { provinceCode: '19', wardCode: '05434' },
      to: { provinceCode: '19', wardCode: '05434' },
      parcel,
      codAmount: 0,
      at,
    });
    expect(quote.fee).toBe(20_000);
  });

  it('ships under the typed tracking number or its own code, and has no webhooks', async () => {
    const base = {
      clientCode: 'TN-ABCDE-2',
      from: { provinceCode: '19', wardCode: '05434', name: 'HTX', phone: '0912345678' },
      to: { provinceCode: '19', wardCode: '05434', name: 'Lan', phone: '0987654321' },
      parcel,
      codAmount: 0,
      items: [],
    };
    expect((await manual.createShipment({ ...base, trackingNumber: ' VTP123 ' })).carrierCode).toBe('VTP123');
    expect((await manual.createShipment(base)).carrierCode).toBe('TN-ABCDE-2');
    expect(await manual.track('TN-ABCDE-2')).toEqual([]);
    expect(() => manual.parseWebhook({ headers: {}, query: {}, body: '{}' })).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    );
  });
});
