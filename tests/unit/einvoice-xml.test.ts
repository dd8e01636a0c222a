import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { buildInvoice, type BuildInvoiceInput } from '../../shared/invoices/model.ts';
import { invoiceXml } from '../../shared/invoices/xml.ts';

const schema = readFileSync(new URL('../../shared/invoices/schema/hdon.xsd', import.meta.url), 'utf8');
const validate = (xml: string) =>
  validateXML({
    xml: [{ fileName: 'hdon.xml', contents: xml }],
    schema: [{ fileName: 'hdon.xsd', contents: schema }],
  });

const input: BuildInvoiceInput = {
  kind: 'original',
  settings: {
    legalName: 'HTX Chè La Bằng',
    taxCode: '4600123456',
    address: 'Xã La Bằng, Thái Nguyên',
    templateCode: '1/001',
    series: 'C25TAA',
    grower: true,
  },
  issuedOn: '2025-09-01',
  buyer: {
    name: 'Công ty TNHH Trà Việt',
    taxCode: '0101234567-001',
    address: 'Hà Nội',
    email: 'ketoan@traviet.vn',
  },
  paymentMethod: 'TM/CK',
  lines: [
    { code: 'v1', name: 'Chè nõn 200 g', unit: 'gói', category: 'che-non', quantity: 5, unitPrice: 185_000 },
    { code: 'v2', name: 'Nấm hương khô', unit: 'gói', category: 'nam', quantity: 1, unitPrice: 280_000 },
  ],
};
const PROVIDER = { providerTaxCode: '0100109106' };

describe('invoice XML (QĐ 1450/QĐ-TCT)', () => {
  it('an original invoice validates against the schema, with its totals and words', async () => {
    const xml = invoiceXml(buildInvoice(input), PROVIDER);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(xml).toContain('<TgTTTBChu>Một triệu hai trăm linh năm nghìn đồng</TgTTTBChu>');
    expect(xml).toContain('<TSuat>KCT</TSuat>');
    expect(xml).toContain('<KHMSHDon>1</KHMSHDon>');
    expect(xml).not.toContain('TTHDLQuan');
  });

  it('a buyer without tax code (a person) validates too', async () => {
    const xml = invoiceXml(buildInvoice({ ...input, buyer: { name: 'Nguyễn Văn An' } }), PROVIDER);
    expect((await validate(xml)).valid).toBe(true);
  });

  it('an adjustment (decrease) names the related invoice and carries negative amounts', async () => {
    const doc = buildInvoice({
      ...input,
      kind: 'adjustment',
      decrease: true,
      lines: [input.lines[1]!],
      related: {
        templateCode: '1/001',
        series: 'C25TAA',
        number: '12',
        issuedOn: '2025-09-01',
        note: 'Điều chỉnh giảm do trả lại hàng',
      },
    });
    const xml = invoiceXml(doc, PROVIDER);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(xml).toMatch(/<TCHDon>2<\/TCHDon>[\s\S]*<SHDCLQuan>12<\/SHDCLQuan>/);
    expect(xml).toContain('<TgTTTBSo>-280000</TgTTTBSo>');
  });

  it('the schema refuses a document with elements out of the published order', async () => {
    const xml = invoiceXml(buildInvoice(input), PROVIDER).replace(
      /<KHMSHDon>1<\/KHMSHDon>\s*<KHHDon>C25TAA<\/KHHDon>/,
      '<KHHDon>C25TAA</KHHDon><KHMSHDon>1</KHMSHDon>',
    );
    expect((await validate(xml)).valid).toBe(false);
  });

  it('the schema refuses a bad tax code or rate', async () => {
    const good = invoiceXml(buildInvoice(input), PROVIDER);
    expect((await validate(good.replace('<MST>4600123456</MST>', '<MST>46001</MST>'))).valid).toBe(false);
    expect((await validate(good.replace('<TSuat>KCT</TSuat>', '<TSuat>7%</TSuat>'))).valid).toBe(false);
  });
});
