/**
 * The e-invoice field rules the forms check before a request, copied from
 * shared/invoices/model.ts (that module builds zod schemas at load time, too heavy for the
 * storefront's checkout script). tests/e2e/einvoices.test.ts asserts both copies are the same;
 * the API stays the judge.
 */

/** Mã số thuế: 10 digits, or 10 digits, a hyphen and 3 for a branch. */
export const TAX_CODE = /^\d{10}(-\d{3})?$/;
/** Ký hiệu mẫu số (1 = hóa đơn GTGT), with the provider's own template number after a slash. */
export const TEMPLATE_CODE = /^1(\/\d{3})?$/;
/** Ký hiệu hóa đơn: C or K, the year's last two digits, the kind, two letters of the seller. */
export const INVOICE_SERIES = /^[CK]\d{2}[TDLMNBGH][A-Z]{2}$/;
/** The e-mail check of zod's `z.email()` is stricter; this catches the usual slips only. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An invoice's kind key as the API names it: the original, an adjustment or the cancel record. */
export function invoiceKindWords(kind: string, lang: 'vi' | 'en' = 'vi'): string {
  if (kind === 'adjustment')
    return lang === 'en' ? 'Adjusting invoice (decrease)' : 'Hóa đơn điều chỉnh giảm';
  if (kind === 'replacement') return lang === 'en' ? 'Replacement invoice' : 'Hóa đơn thay thế';
  return lang === 'en' ? 'VAT invoice' : 'Hóa đơn GTGT';
}

/** The XML as a file the browser downloads (the invoice's number in its name). */
export function downloadXml(xml: string, name: string): void {
  const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name for an invoice's XML: "hoa-don-TN-ABCDE-C25TAA-0000001.xml". */
export function xmlFileName(orderCode: string, number: string | undefined, kindKey: string): string {
  const part = number ?? kindKey.replace(/[^\w-]+/g, '-');
  return `hoa-don-${orderCode}-${part}.xml`.replace(/[^\w.-]+/g, '-');
}
