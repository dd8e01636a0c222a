import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/domain/categories.ts';
import { buildInvoice, invoiceLine } from '../../shared/invoices/model.ts';
import { VAT_TABLE, vatRateFor } from '../../shared/invoices/vat.ts';

describe('VAT table', () => {
  it('has one row, with its legal ground, for every category', () => {
    expect(Object.keys(VAT_TABLE).sort()).toEqual(CATEGORIES.map((c) => c.slug).sort());
    for (const row of Object.values(VAT_TABLE)) expect(row.ground).toMatch(/Law 48\/2024/);
  });

  it('unprocessed produce sold by its grower is KCT, at the commercial stage 5 %', () => {
    for (const slug of ['trai-cay', 'nam', 'mang-kho', 'mat-ong']) {
      expect(vatRateFor(slug, { grower: true, date: '2025-09-01' })).toBe('KCT');
      expect(vatRateFor(slug, { grower: false, date: '2025-09-01' })).toBe(5);
    }
  });

  it('processed tea and foods are at 8 % until 31/12/2026, then 10 %, grower or not', () => {
    for (const slug of ['che-tom-non', 'tra-tui-loc', 'tra-gaba', 'mien-gao']) {
      expect(vatRateFor(slug, { grower: true, date: '2026-12-31' })).toBe(8);
      expect(vatRateFor(slug, { grower: false, date: '2027-01-01' })).toBe(10);
    }
  });

  it('refuses a category the table does not know', () => {
    expect(() => vatRateFor('ruou', { grower: true, date: '2025-09-01' })).toThrow(/No VAT row/);
  });

  it('splits a VAT-inclusive line so amount + tax is what the shopper paid', () => {
    const line = invoiceLine(
      1,
      { code: 'v1', name: 'Chè', unit: 'gói', category: 'che-non', quantity: 3, unitPrice: 185_000 },
      8,
    );
    expect(line.amount + line.tax).toBe(555_000);
    expect(line.amount).toBe(513_889);
    expect(line.tax).toBe(41_111);
    const kct = invoiceLine(
      2,
      { code: 'v2', name: 'Bưởi', unit: 'kg', category: 'trai-cay', quantity: 2, unitPrice: 60_000 },
      'KCT',
    );
    expect(kct).toMatchObject({ amount: 120_000, tax: 0, unitPrice: 60_000 });
  });

  it('totals per rate and in words', () => {
    const doc = buildInvoice({
      kind: 'original',
      settings: {
        legalName: 'HTX Chè La Bằng',
        taxCode: '4600123456',
        address: 'Xã La Bằng, Thái Nguyên',
        templateCode: '1',
        series: 'C25TAA',
        grower: true,
      },
      issuedOn: '2025-09-01',
      buyer: { name: 'Công ty TNHH Trà Việt', taxCode: '0101234567' },
      paymentMethod: 'TM/CK',
      lines: [
        {
          code: 'v1',
          name: 'Chè nõn 200 g',
          unit: 'gói',
          category: 'che-non',
          quantity: 5,
          unitPrice: 185_000,
        },
        { code: 'v2', name: 'Nấm hương khô', unit: 'gói', category: 'nam', quantity: 1, unitPrice: 280_000 },
      ],
    });
    expect(doc.total).toBe(1_205_000);
    expect(doc.totalInWords).toBe('Một triệu hai trăm linh năm nghìn đồng');
    expect(doc.byRate.map((r) => r.rate)).toEqual(['KCT', 8]);
    expect(doc.byRate[0]).toEqual({ rate: 'KCT', amount: 280_000, tax: 0 });
    expect(doc.totalBeforeTax + doc.totalTax).toBe(doc.total);
  });
});
