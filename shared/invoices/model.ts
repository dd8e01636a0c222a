/**
 * An e-invoice as the exchange builds it from a sub-order: pure data, no clock, no storage.
 * The same document becomes the GDT XML (xml.ts, QĐ 1450/QĐ-TCT) and the provider's request
 * (viettel.ts); its totals are computed here once.
 */
import * as z from 'zod';
import { amountInWords } from './amount-words.ts';
import { ProviderCredentialsBody } from './credentials.ts';
import { vatAmount, vatLabel, vatRateFor, type VatRate } from './vat.ts';

/** Mã số thuế: 10 digits, or 10 digits, a hyphen and 3 for a branch (Circular 86/2024/TT-BTC). */
export const TAX_CODE = /^\d{10}(-\d{3})?$/;
/** Ký hiệu mẫu số (1 = hóa đơn GTGT), with the provider's own template number after a slash. */
export const TEMPLATE_CODE = /^1(\/\d{3})?$/;
/**
 * Ký hiệu hóa đơn (Circular 78/2021/TT-BTC Art. 4(1)(b)): C (with the tax authority's code) or
 * K, the year's last two digits, the kind (T, D, L, M, N, B, G, H), two letters of the seller.
 */
export const INVOICE_SERIES = /^[CK]\d{2}[TDLMNBGH][A-Z]{2}$/;

const TaxCode = z.string().regex(TAX_CODE, 'Mã số thuế gồm 10 chữ số hoặc 10 chữ số, dấu gạch và 3 chữ số');

/** What the buyer gives under "Xuất hóa đơn công ty" at checkout. */
export const CompanyInvoiceRequest = /* @__PURE__ */ z
  .strictObject({
    companyName: z.string().trim().min(2, 'Nhập tên công ty').max(200),
    taxCode: TaxCode,
    address: z.string().trim().min(5, 'Nhập địa chỉ công ty').max(300),
    email: z.email('E-mail nhận hóa đơn không hợp lệ').max(200),
  })
  .meta({ id: 'CompanyInvoiceRequest' });
export type CompanyInvoiceRequest = z.infer<typeof CompanyInvoiceRequest>;

/** A seller's invoice settings (setInvoiceSettings). */
export const InvoiceSettingsBody = /* @__PURE__ */ z
  .strictObject({
    enabled: z.boolean(),
    legalName: z.string().trim().min(2, 'Nhập tên đơn vị như trên đăng ký thuế').max(200),
    taxCode: TaxCode,
    address: z.string().trim().min(5, 'Nhập địa chỉ đăng ký thuế').max(300),
    templateCode: z.string().regex(TEMPLATE_CODE, 'Ký hiệu mẫu số hóa đơn GTGT là 1 (ví dụ 1 hoặc 1/001)'),
    series: z
      .string()
      .regex(INVOICE_SERIES, 'Ký hiệu hóa đơn gồm 6 ký tự, ví dụ C25TAA (C hoặc K, năm, loại, 2 chữ cái)'),
    issueOn: z.enum(['completed', 'paid']),
    grower: z.boolean(),
    /**
     * The seller's own SInvoice account, write-only: kept outside the settings item
     * (credentials.ts), never answered back. Omitted: the account saved before stays.
     */
    credentials: ProviderCredentialsBody.optional(),
  })
  .meta({ id: 'InvoiceSettingsBody' });
export type InvoiceSettingsInput = z.infer<typeof InvoiceSettingsBody>;
/** The settings as kept and used: everything but the credentials. */
export type InvoiceSettings = Omit<InvoiceSettingsInput, 'credentials'>;

/** A sold line, as the sub-order has it: price is what the shopper paid per unit, VAT included. */
export interface SoldLine {
  code: string;
  name: string;
  unit: string;
  category: string;
  quantity: number;
  unitPrice: number;
  /** A rate fixed already (adjusting lines keep the rate of the line they adjust). */
  rate?: VatRate;
}

export interface InvoiceLine {
  no: number;
  code: string;
  name: string;
  unit: string;
  quantity: number;
  /** Unit price before VAT (may have decimals, QĐ 1450 allows them). */
  unitPrice: number;
  /** Amount before VAT, whole đồng. */
  amount: number;
  rate: VatRate;
  tax: number;
}

export interface RateTotal {
  rate: VatRate;
  amount: number;
  tax: number;
}

export type InvoiceKind = 'original' | 'adjustment' | 'replacement';

/** The invoice an adjustment or a replacement refers to (TTHDLQuan). */
export interface RelatedInvoice {
  templateCode: string;
  series: string;
  number: string;
  issuedOn: string;
}

export interface InvoiceDocument {
  kind: InvoiceKind;
  templateCode: string;
  series: string;
  /** The provider's number once issued; '0' before (the XML's SHDon is set by the provider). */
  number: string;
  issuedOn: string;
  seller: { legalName: string; taxCode: string; address: string };
  buyer: { name: string; taxCode?: string; address?: string; email?: string; phone?: string };
  lines: InvoiceLine[];
  byRate: RateTotal[];
  totalBeforeTax: number;
  totalTax: number;
  total: number;
  totalInWords: string;
  paymentMethod: string;
  related?: RelatedInvoice & { note: string };
  /** Adjustments only: the lines decrease the related invoice (điều chỉnh giảm). */
  decrease?: boolean;
}

/** Splits a VAT-inclusive line into its amount before VAT and its VAT. */
export function invoiceLine(no: number, line: SoldLine, rate: VatRate): InvoiceLine {
  const total = line.unitPrice * line.quantity;
  const percent = rate === 'KCT' ? 0 : rate;
  const amount = Math.round((total * 100) / (100 + percent));
  const tax = total - amount;
  // The tax of the split equals the rate applied to the amount, to the đồng.
  if (Math.abs(tax - vatAmount(amount, rate)) > 1) throw new Error('VAT split out of tolerance');
  return {
    no,
    code: line.code,
    name: line.name,
    unit: line.unit,
    quantity: line.quantity,
    unitPrice: Math.round((amount / line.quantity) * 100) / 100,
    amount,
    rate,
    tax,
  };
}

/** Sums per rate, in a fixed order (KCT, 5, 8, 10). */
export function totalsByRate(lines: readonly InvoiceLine[]): RateTotal[] {
  const order: VatRate[] = ['KCT', 0, 5, 8, 10];
  return order
    .map((rate) => {
      const of = lines.filter((l) => l.rate === rate);
      return { rate, amount: of.reduce((s, l) => s + l.amount, 0), tax: of.reduce((s, l) => s + l.tax, 0) };
    })
    .filter((_, i) => lines.some((l) => l.rate === order[i]));
}

export interface BuildInvoiceInput {
  kind: InvoiceKind;
  settings: Pick<InvoiceSettings, 'legalName' | 'taxCode' | 'address' | 'templateCode' | 'series' | 'grower'>;
  issuedOn: string;
  buyer: InvoiceDocument['buyer'];
  lines: readonly SoldLine[];
  paymentMethod: string;
  related?: InvoiceDocument['related'];
  decrease?: boolean;
}

/** The invoice of `lines`: per-line rates from the VAT table, totals and the amount in words. */
export function buildInvoice(input: BuildInvoiceInput): InvoiceDocument {
  const lines = input.lines.map((line, i) =>
    invoiceLine(
      i + 1,
      line,
      line.rate ?? vatRateFor(line.category, { grower: input.settings.grower, date: input.issuedOn }),
    ),
  );
  const totalBeforeTax = lines.reduce((s, l) => s + l.amount, 0);
  const totalTax = lines.reduce((s, l) => s + l.tax, 0);
  const total = totalBeforeTax + totalTax;
  return {
    kind: input.kind,
    templateCode: input.settings.templateCode,
    series: input.settings.series,
    number: '0',
    issuedOn: input.issuedOn,
    seller: {
      legalName: input.settings.legalName,
      taxCode: input.settings.taxCode,
      address: input.settings.address,
    },
    buyer: input.buyer,
    lines,
    byRate: totalsByRate(lines),
    totalBeforeTax,
    totalTax,
    total,
    totalInWords: amountInWords(total),
    paymentMethod: input.paymentMethod,
    ...(input.related ? { related: input.related } : {}),
    ...(input.decrease ? { decrease: true } : {}),
  };
}

export { vatLabel };
