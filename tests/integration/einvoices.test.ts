/**
 * E-invoices against the SInvoice emulator over HTTP and DynamoDB Local: a completed part is
 * issued once through the invoice lane, with the buyer's company from checkout; a provider that
 * answers late or fails is retried without a second invoice; a partial refund gives an adjusting
 * invoice (điều chỉnh giảm) naming the original; a part cancelled after issuance is decreased to
 * zero.
 */
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices } from '../../shared/db/invoices.ts';
import { SHARDS } from '../../shared/db/shards.ts';
import { processInvoiceDue } from '../../shared/invoices/issue.ts';
import type { InvoiceSettings } from '../../shared/invoices/model.ts';
import { createViettelProvider } from '../../shared/invoices/viettel.ts';
import { runDueInvoices } from '../../shared/invoices/worker.ts';
import type { OrderStatus } from '../../shared/orders/model.ts';
import { recompose } from '../../infra/local/services.ts';
import type { ProviderCredentialStore } from '../../shared/invoices/credentials.ts';
import { memoryCredentialStore } from '../../infra/local/einvoice-credentials.ts';
import { getConsistent } from '../../shared/db/item-access.ts';
import {
  EINVOICE_EMULATOR_ACCOUNT,
  startEinvoiceEmulator,
  type RunningEinvoiceEmulator,
} from '../../infra/local/einvoice-emulator.ts';
import {
  bankTransfer,
  call,
  createShop,
  moveSubOrder,
  notifyTransfer,
  orderBody,
  OTHER_SHOPPER,
  place,
  SHOPPER,
  type Shop,
} from './orders-world.ts';

const schema = readFileSync(new URL('../../shared/invoices/schema/hdon.xsd', import.meta.url), 'utf8');
const COMPANY = {
  companyName: 'Công ty TNHH Trà Việt',
  taxCode: '0101234567',
  address: '12 Phố Đội Cấn, Hà Nội',
  email: 'ketoan@traviet.vn',
};

let shop: Shop;
let sinvoice: RunningEinvoiceEmulator;
let provider: ReturnType<typeof createViettelProvider>;
/** The sellers' accounts, kept as in AWS: no shared default, every seller enters its own. */
let accounts: ProviderCredentialStore;
const DEMO = { ...EINVOICE_EMULATOR_ACCOUNT };

const settings = (over: Partial<InvoiceSettings> = {}): InvoiceSettings => ({
  enabled: true,
  legalName: 'Hợp tác xã Chè La Bằng',
  taxCode: '4600123456',
  address: 'Xã La Bằng, tỉnh Thái Nguyên',
  templateCode: '1/001',
  series: 'C25TAA',
  issueOn: 'completed',
  grower: true,
  ...over,
});

beforeAll(async () => {
  shop = await createShop();
  sinvoice = await startEinvoiceEmulator();
  provider = createViettelProvider({
    baseUrl: sinvoice.url,
    lookupBaseUrl: `${sinvoice.url}/tra-cuu`,
    timeoutMs: 400,
  });
  accounts = memoryCredentialStore();
  await accounts.put(shop.coopA.id, DEMO);
  await accounts.put(shop.coopB.id, DEMO);
  recompose({ invoiceProvider: async () => provider, invoiceCredentials: accounts });
  await saveSettings(shop.coopA.id, settings());
  await saveSettings(
    shop.coopB.id,
    settings({ taxCode: '4600654321-001', series: 'C25TBB', issueOn: 'paid' }),
  );
});
afterAll(() => sinvoice?.stop());

/** Settings as the board saves them for a seller whose account is in `accounts`. */
const saveSettings = (sellerId: string, value: InvoiceSettings) =>
  invoices.putSettings(sellerId, value, 'test', new Date().toISOString(), { credentialsSet: true });

/** One pass of the invoice lane over every shard, `aheadMs` in the future (past any backoff). */
const lane = (aheadMs = 0) =>
  runDueInvoices(SHARDS, { provider, credentials: accounts, now: () => new Date(Date.now() + aheadMs) });

async function moveTo(fulfillerId: string, token: string, code: string, steps: OrderStatus[], cod: boolean) {
  for (const to of steps) {
    const body = {
      to,
      ...(to === 'shipped' ? { carrier: 'Viettel Post', trackingNumber: 'VTP2026000123' } : {}),
      ...(to === 'delivered' && cod ? { cashCollected: true } : {}),
    };
    const moved = await moveSubOrder(token, fulfillerId, code, body);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
}
const TO_COMPLETED: OrderStatus[] = ['confirmed', 'packed', 'shipped', 'delivered', 'completed'];

/** A COD order of co-op A (a member's tea), completed. */
async function completedCodOrder(extra: Record<string, unknown> = {}) {
  const placed = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 2 }], extra));
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const code = placed.body.order.code as string;
  await moveTo(shop.coopA.id, shop.actors.managerA.token, code, TO_COMPLETED, true);
  return code;
}

const issuedFor = (code: string) =>
  sinvoice.emulator.issued.filter((i) => i.body.itemInfo.length > 0 && invoicesOf(code, i));
const invoicesOf = (code: string, i: { transactionUuid: string }) =>
  known.get(code)?.has(i.transactionUuid) ?? false;
const known = new Map<string, Set<string>>();
async function remember(code: string) {
  const records = await invoices.listForOrder(code);
  known.set(code, new Set(records.map((r) => r.transactionId)));
  return records;
}

describe('issuing on completion', () => {
  it('issues one invoice with the buyer’s company, its XML valid, its lookup page answering', async () => {
    const code = await completedCodOrder({ invoiceRequest: COMPANY });
    const report = await lane();
    expect(report.issued).toBeGreaterThanOrEqual(1);
    const [record] = await remember(code);
    expect(record).toMatchObject({ status: 'issued', kind: 'original', fulfillerId: shop.coopA.id });
    expect(record!.number).toMatch(/^\d+$/);
    const sent = issuedFor(code);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.buyerInfo).toMatchObject({
      buyerTaxCode: COMPANY.taxCode,
      buyerLegalName: COMPANY.companyName,
    });
    expect(sent[0]!.body.summarizeInfo.totalAmountWithTax).toBe(
      2 * shop.packs.memberTea.price +
        sent[0]!.body.itemInfo
          .filter((l) => l.itemCode === 'SHIP')
          .reduce((s, l) => s + l.itemTotalAmountWithoutTax + l.taxAmount, 0),
    );
    const valid = await validateXML({
      xml: [{ fileName: 'hdon.xml', contents: record!.xml }],
      schema: [{ fileName: 'hdon.xsd', contents: schema }],
    });
    expect(valid.errors).toEqual([]);
    expect(record!.xml).toContain(`<SHDon>${record!.number}</SHDon>`);
    expect(record!.xml).toContain(`<MST>${COMPANY.taxCode}</MST>`);
    const page = await fetch(record!.lookupUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Hợp tác xã Chè La Bằng');

    // Running the lane again, or the same work again, issues nothing more.
    const creates = sinvoice.emulator.creates();
    await lane(3_600_000);
    await processInvoiceDue(
      {
        orderCode: code,
        fulfillerId: shop.coopA.id,
        kindKey: 'ORIGINAL',
        action: 'issue',
        trigger: 'completed',
        attempts: 0,
        nextAttemptAt: 0,
      },
      { provider, credentials: accounts, now: () => new Date() },
    );
    expect(sinvoice.emulator.creates()).toBe(creates);
    expect(issuedFor(code)).toHaveLength(1);
  });

  it('a seller with e-invoices off issues nothing; its marker is dropped', async () => {
    await saveSettings(shop.coopA.id, settings({ enabled: false }));
    try {
      const code = await completedCodOrder();
      await lane();
      expect(await invoices.listForOrder(code)).toEqual([]);
    } finally {
      await saveSettings(shop.coopA.id, settings());
    }
  });
});

describe('never twice for one sub-order', () => {
  it('a provider timeout is resolved by looking the invoice up: one invoice', async () => {
    const code = await completedCodOrder();
    sinvoice.emulator.delayNext(1_500);
    const creates = sinvoice.emulator.creates();
    const report = await lane();
    expect(report.failed).toBe(0);
    const [record] = await remember(code);
    expect(record!.status).toBe('issued');
    expect(sinvoice.emulator.creates()).toBe(creates + 1);
    expect(issuedFor(code)).toHaveLength(1);
  });

  it('a refused attempt is retried by the lane after its backoff, under the same transaction id', async () => {
    const code = await completedCodOrder();
    sinvoice.emulator.failNext(1, 503);
    const first = await lane();
    expect(first.failed).toBeGreaterThanOrEqual(1);
    const [failed] = await remember(code);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.lastError).toMatch(/503/);
    // Not due again before its backoff.
    await lane();
    expect((await invoices.listForOrder(code))[0]!.status).toBe('failed');
    await lane(120_000);
    const [issued] = await invoices.listForOrder(code);
    expect(issued).toMatchObject({ status: 'issued', transactionId: failed!.transactionId });
    expect(issuedFor(code)).toHaveLength(1);
  });

  it('runs at once over the same work: one holds it, one invoice', async () => {
    const code = await completedCodOrder();
    const due = {
      orderCode: code,
      fulfillerId: shop.coopA.id,
      kindKey: 'ORIGINAL',
      action: 'issue' as const,
      trigger: 'completed' as const,
      attempts: 0,
      nextAttemptAt: 0,
    };
    const outcomes = await Promise.all(
      [0, 1, 2].map(() =>
        processInvoiceDue(due, { provider, credentials: accounts, now: () => new Date() }).catch(
          (e: unknown) => ({
            state: String(e),
          }),
        ),
      ),
    );
    await remember(code);
    expect(outcomes.filter((o) => o.state === 'issued').length).toBeGreaterThanOrEqual(1);
    expect(issuedFor(code)).toHaveLength(1);
    await lane();
    expect(issuedFor(code)).toHaveLength(1);
  });
});

describe('refunds and cancellations', () => {
  async function paidOrder(variantId: string) {
    const placed = await place(
      orderBody([{ variantId, quantity: 3 }], { paymentMethod: 'vietqr', invoiceRequest: COMPANY }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect((await notifyTransfer(bankTransfer(shop, placed.body))).body).toEqual({ result: 'matched' });
    return placed.body.order as { code: string; paymentIntentId: string };
  }

  it('a partial refund gives an adjusting invoice (decrease) naming the original', async () => {
    const order = await paidOrder(shop.packs.memberTea.id);
    await moveTo(shop.coopA.id, shop.actors.managerA.token, order.code, TO_COMPLETED, false);
    await lane();
    const refund = await call('POST', `/api/payments/${order.paymentIntentId}/manual-refunds`, {
      token: shop.actors.managerA.token,
      body: { method: 'cash', note: 'Khách trả lại 1 gói', amount: 50_000 },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    await lane();
    const records = await remember(order.code);
    const original = records.find((r) => r.kindKey === 'ORIGINAL')!;
    const adjustment = records.find((r) => r.kindKey.startsWith('ADJ#'))!;
    expect(adjustment).toMatchObject({ status: 'issued', kind: 'adjustment', total: 50_000 });
    const sent = issuedFor(order.code).find((i) => i.body.generalInvoiceInfo.adjustmentType === '5')!;
    expect(sent.body.generalInvoiceInfo).toMatchObject({
      originalInvoiceId: `C25TAA${original.number}`,
      adjustmentInvoiceType: '1',
    });
    expect(sent.body.itemInfo.every((l) => l.isIncreaseItem === false)).toBe(true);
    expect(sent.body.summarizeInfo.totalAmountWithTaxInWords).toBe('Năm mươi nghìn đồng');
    expect(adjustment.xml).toMatch(/<TCHDon>2<\/TCHDon>[\s\S]*<SHDCLQuan>\d+<\/SHDCLQuan>/);
    const valid = await validateXML({
      xml: [{ fileName: 'adj.xml', contents: adjustment.xml }],
      schema: [{ fileName: 'hdon.xsd', contents: schema }],
    });
    expect(valid.errors).toEqual([]);
  });

  it('a part paid, invoiced on payment and then cancelled is decreased to zero', async () => {
    const order = await paidOrder(shop.packs.coopBTea.id);
    await lane();
    const [original] = await remember(order.code);
    expect(original).toMatchObject({ status: 'issued', fulfillerId: shop.coopB.id });
    const cancelled = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'cancelled',
      note: 'Hết hàng',
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await lane();
    const records = await remember(order.code);
    const cancel = records.find((r) => r.kindKey === 'CANCEL')!;
    expect(cancel).toMatchObject({ status: 'issued', kind: 'adjustment', total: original!.total });
    expect(issuedFor(order.code)).toHaveLength(2);
  });
});

describe('routes: settings, the board’s invoices, the shopper’s', () => {
  const body = () => ({ ...settings(), templateCode: '1/001' });

  it('setInvoiceSettings: the seller’s manager only, a cooperative or enterprise, strict body', async () => {
    const path = `/api/board/${shop.coopA.id}/invoice-settings`;
    const saved = await call('PUT', path, { token: shop.actors.managerA.token, body: body() });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.settings).toMatchObject({ taxCode: '4600123456', series: 'C25TAA', enabled: true });
    expect((await call('GET', path, { token: shop.actors.managerA.token })).body.settings.issueOn).toBe(
      'completed',
    );

    expect((await call('PUT', path, { token: shop.actors.managerB.token, body: body() })).status).toBe(403);
    expect((await call('GET', path, { token: shop.actors.managerB.token })).status).toBe(403);
    expect((await call('PUT', path, { body: body() })).status).toBe(401);

    const household = await call('PUT', `/api/board/${shop.independent.id}/invoice-settings`, {
      token: shop.actors.independent.token,
      body: body(),
    });
    expect(household.status).toBe(403);
    expect(household.body.code ?? household.body.error?.code ?? JSON.stringify(household.body)).toMatch(
      /not_vat_registered/,
    );

    for (const bad of [
      { ...body(), taxCode: '46001' },
      { ...body(), series: '1C25TAA' },
      { ...body(), templateCode: '2' },
      { ...body(), extra: true },
    ]) {
      const refused = await call('PUT', path, { token: shop.actors.managerA.token, body: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect(
      (
        await call('PUT', path, {
          token: shop.actors.managerA.token,
          body: { ...body(), taxCode: '4600123456-001' },
        })
      ).status,
    ).toBe(200);
    await saveSettings(shop.coopA.id, settings());
  });

  it('listInvoices / getInvoice: the owner sees its invoices and their XML; another cooperative gets 403', async () => {
    const code = await completedCodOrder();
    await lane();
    const list = await call('GET', `/api/board/${shop.coopA.id}/invoices?limit=100`, {
      token: shop.actors.managerA.token,
    });
    expect(list.status).toBe(200);
    const mine = list.body.items.find((i: { orderCode: string }) => i.orderCode === code);
    expect(mine).toMatchObject({ status: 'issued', kindKey: 'ORIGINAL' });

    const one = await call('GET', `/api/board/${shop.coopA.id}/invoices/${code}/ORIGINAL`, {
      token: shop.actors.managerA.token,
    });
    expect(one.status).toBe(200);
    expect(one.body.xml).toContain('<HDon>');

    expect(
      (await call('GET', `/api/board/${shop.coopA.id}/invoices`, { token: shop.actors.managerB.token }))
        .status,
    ).toBe(403);
    expect(
      (
        await call('GET', `/api/board/${shop.coopA.id}/invoices/${code}/ORIGINAL`, {
          token: shop.actors.managerB.token,
        })
      ).status,
    ).toBe(403);
    // B's own board has no such invoice.
    expect(
      (
        await call('GET', `/api/board/${shop.coopB.id}/invoices/${code}/ORIGINAL`, {
          token: shop.actors.managerB.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('GET', `/api/board/${shop.coopA.id}/invoices/${code}/BOGUS`, {
          token: shop.actors.managerA.token,
        })
      ).status,
    ).toBe(400);
  });

  it('listOrderInvoices: the shopper of the order sees the link; another phone gets 404', async () => {
    const code = await completedCodOrder();
    await lane();
    const own = await call('GET', `/api/orders/${code}/invoices?phone=${encodeURIComponent(SHOPPER.phone)}`);
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(1);
    expect(own.body.items[0].lookupUrl).toContain('/tra-cuu?');
    const other = await call(
      'GET',
      `/api/orders/${code}/invoices?phone=${encodeURIComponent(OTHER_SHOPPER.phone)}`,
    );
    expect(other.status).toBe(404);
    expect((await call('GET', `/api/orders/${code}/invoices`)).status).toBe(400);
  });
});

describe('each seller’s own SInvoice account', () => {
  const path = () => `/api/board/${shop.coopB.id}/invoice-settings`;
  const coopB = () => settings({ taxCode: '4600654321-001', series: 'C25TBB', issueOn: 'paid' });

  it('turning invoices on needs the account (422), which is kept outside the item and never answered', async () => {
    const empty = memoryCredentialStore(); // as in AWS: nobody has an account until it enters one
    recompose({ invoiceCredentials: empty });
    // Settings saved before sellers had accounts of their own.
    await invoices.putSettings(shop.coopB.id, coopB(), 'test', new Date().toISOString());
    try {
      const token = shop.actors.managerB.token;
      const refused = await call('PUT', path(), { token, body: coopB() });
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(JSON.stringify(refused.body)).toMatch(/invoice\.credentials_required/);
      expect(JSON.stringify(refused.body)).toContain('Nhập tài khoản SInvoice của đơn vị');
      // Off, it may be saved without one.
      const off = await call('PUT', path(), { token, body: { ...coopB(), enabled: false } });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expect(off.body.settings.credentialsSet).toBe(false);

      for (const credentials of [
        { username: 'htx-tancuong', password: '' },
        { username: '', password: 'Mat-khau-1' },
        { username: 'x'.repeat(101), password: 'Mat-khau-1' },
        { username: 'htx tan cuong', password: 'Mat-khau-1' },
        { username: 'htx-tancuong', password: 'Mat-khau-1', role: 'admin' },
      ]) {
        const bad = await call('PUT', path(), { token, body: { ...coopB(), credentials } });
        expect(bad.status, JSON.stringify(credentials)).toBe(400);
      }
      // Another cooperative's manager cannot set this one's account.
      const foreign = await call('PUT', path(), {
        token: shop.actors.managerA.token,
        body: { ...coopB(), credentials: { username: 'ke-gian', password: 'mat-khau-la' } },
      });
      expect(foreign.status).toBe(403);
      expect(await empty.get(shop.coopB.id)).toBeUndefined();

      const saved = await call('PUT', path(), {
        token,
        body: { ...coopB(), credentials: { username: 'htx-tancuong-01', password: 'Mat-khau-SInvoice-1' } },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body.settings).toMatchObject({ enabled: true, credentialsSet: true });
      expect(saved.body.settings.credentialsUsername).toMatch(/^ht•+01$/);
      expect(await empty.get(shop.coopB.id)).toEqual({
        username: 'htx-tancuong-01',
        password: 'Mat-khau-SInvoice-1',
      });
      const read = await call('GET', path(), { token });
      expect(read.body.settings).toMatchObject({ credentialsSet: true, taxCode: '4600654321-001' });
      const item = await getConsistent({ pk: `PRODUCER#${shop.coopB.id}`, sk: 'INVOICESETTINGS' });
      for (const text of [JSON.stringify(saved.body), JSON.stringify(read.body), JSON.stringify(item)]) {
        expect(text).not.toContain('Mat-khau-SInvoice-1');
        expect(text).not.toContain('htx-tancuong-01');
      }
      // Saved again without the account: the account stays.
      const again = await call('PUT', path(), { token, body: coopB() });
      expect(again.body.settings).toMatchObject({ credentialsSet: true });
      expect(await empty.get(shop.coopB.id)).toMatchObject({ username: 'htx-tancuong-01' });

      // Locally every seller has the emulator's demo account: no account needed to turn invoices on.
      recompose({ invoiceCredentials: memoryCredentialStore({ fallback: DEMO }) });
      await invoices.putSettings(shop.coopB.id, coopB(), 'test', new Date().toISOString());
      expect((await call('PUT', path(), { token, body: coopB() })).status).toBe(200);
    } finally {
      recompose({ invoiceCredentials: accounts });
      await saveSettings(shop.coopB.id, coopB());
    }
  });

  it('issues with the seller’s account; a wrong password fails on the board, and once fixed the retry issues one invoice', async () => {
    // The cooperative's own account at SInvoice: the demo account no longer works for its tax code.
    const TAX_CODE = '4600777777';
    const own = { username: 'htx-labang', password: 'Dung-mat-khau-2026' };
    sinvoice.emulator.account(TAX_CODE, own);
    const token = shop.actors.managerA.token;
    const settingsPath = `/api/board/${shop.coopA.id}/invoice-settings`;
    try {
      const wrong = await call('PUT', settingsPath, {
        token,
        body: { ...settings({ taxCode: TAX_CODE }), credentials: { ...own, password: 'Mat-khau-cu' } },
      });
      expect(wrong.status, JSON.stringify(wrong.body)).toBe(200);
      const code = await completedCodOrder();
      const creates = sinvoice.emulator.creates();
      const first = await lane();
      expect(first.failed).toBeGreaterThanOrEqual(1);
      await remember(code);
      expect(sinvoice.emulator.creates()).toBe(creates); // refused at sign-in: nothing issued
      expect(issuedFor(code)).toHaveLength(0);

      const list = await call('GET', `/api/board/${shop.coopA.id}/invoices?limit=100`, { token });
      expect(list.status).toBe(200);
      const failed = list.body.items.find((i: { orderCode: string }) => i.orderCode === code);
      expect(failed).toMatchObject({ status: 'failed', lastErrorKind: 'auth', attempts: 1 });
      // Retried by itself after its backoff (30 s), which the board can show.
      expect(Date.parse(failed.nextAttemptAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(failed.nextAttemptAt)).toBeLessThanOrEqual(Date.now() + 30_000);
      expect(failed.lastError).toMatch(/từ chối tài khoản SInvoice.*401.*Nhập lại tên đăng nhập và mật khẩu/);
      expect(failed.lastError).not.toContain('Mat-khau-cu');
      // The shopper's tracking sees it being retried, not the seller's account error.
      const shopper = await call(
        'GET',
        `/api/orders/${code}/invoices?phone=${encodeURIComponent(SHOPPER.phone)}`,
      );
      expect(shopper.status).toBe(200);
      expect(shopper.body.items).toHaveLength(1);
      expect(shopper.body.items[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect(Object.keys(shopper.body.items[0])).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(lastError|lastErrorKind|nextAttemptAt|xml)$/)]),
      );

      // The seller re-enters its account; the next retry (after its backoff) uses it.
      const fixed = await call('PUT', settingsPath, {
        token,
        body: { ...settings({ taxCode: TAX_CODE }), credentials: own },
      });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      await lane();
      expect((await invoices.get(code, shop.coopA.id, 'ORIGINAL'))!.status).toBe('failed');
      await lane(120_000);
      const issued = await invoices.get(code, shop.coopA.id, 'ORIGINAL');
      expect(issued).toMatchObject({ status: 'issued' });
      expect(issued!.lastError).toBeUndefined();
      expect(issuedFor(code)).toHaveLength(1);
      expect(issuedFor(code)[0]!.supplierTaxCode).toBe(TAX_CODE);
      await lane(7_200_000);
      expect(issuedFor(code)).toHaveLength(1);
      const after = await call('GET', `/api/board/${shop.coopA.id}/invoices?limit=100`, { token });
      const shown = after.body.items.find((i: { orderCode: string }) => i.orderCode === code);
      expect(shown).toMatchObject({ status: 'issued' });
      expect(shown.lastErrorKind).toBeUndefined();
      expect(shown.nextAttemptAt).toBeUndefined();
    } finally {
      await accounts.put(shop.coopA.id, DEMO);
      await saveSettings(shop.coopA.id, settings());
    }
  });

  it('a seller with no account at all: the attempt fails asking for it, and is retried', async () => {
    const empty = memoryCredentialStore();
    const code = await completedCodOrder();
    const report = await runDueInvoices(SHARDS, { provider, credentials: empty, now: () => new Date() });
    expect(report.failed).toBeGreaterThanOrEqual(1);
    const [record] = await remember(code);
    expect(record).toMatchObject({ status: 'failed', lastErrorKind: 'auth' });
    expect(record!.lastError).toMatch(/Chưa có tài khoản SInvoice của đơn vị/);
    await lane(120_000);
    expect((await invoices.get(code, shop.coopA.id, 'ORIGINAL'))!.status).toBe('issued');
    expect(issuedFor(code)).toHaveLength(1);
  });
});
