/**
 * Checkout's "Xuất hóa đơn công ty" section: closed by default; when ticked, the company's name,
 * tax code, address and e-mail are checked here (the rules of shared/invoices/model.ts
 * `CompanyInvoiceRequest`, the server's answer wins) and sent as `invoiceRequest`.
 */
import type { RequestBody } from '../api-contract.ts';
import { EMAIL, TAX_CODE } from '../lib/invoice-rules.ts';
import type { FieldIssue } from './api.ts';
import { tr } from './lang.ts';

type InvoiceRequest = NonNullable<RequestBody<'placeOrder'>['invoiceRequest']>;

/** The API's issue paths → the field that shows them. */
export const INVOICE_FIELDS: Record<string, string> = {
  'invoiceRequest.companyName': 'co-inv-company',
  'invoiceRequest.taxCode': 'co-inv-tax',
  'invoiceRequest.address': 'co-inv-address',
  'invoiceRequest.email': 'co-inv-email',
  invoiceRequest: 'co-inv-company',
};

/** Opens and closes the section with its checkbox. */
export function initInvoiceSection(): void {
  const want = document.getElementById('co-invoice-want') as HTMLInputElement | null;
  const fields = document.getElementById('co-invoice-fields');
  if (!want || !fields) return;
  const toggle = () => {
    fields.hidden = !want.checked;
    want.setAttribute('aria-expanded', String(want.checked));
  };
  want.addEventListener('change', () => {
    toggle();
    if (want.checked) document.getElementById('co-inv-company')?.focus();
  });
  toggle();
}

/** The company to invoice, when the section is open; its problems go to `issues`. */
export function readInvoiceRequest(data: FormData, issues: FieldIssue[]): InvoiceRequest | undefined {
  if (data.get('invoiceWanted') === null) return undefined;
  const text = (name: string) =>
    String(data.get(name) ?? '')
      .normalize('NFC')
      .replace(/\s+/g, ' ')
      .trim();
  const request = {
    companyName: text('companyName'),
    taxCode: text('taxCode').replace(/\s/g, ''),
    address: text('companyAddress'),
    email: text('invoiceEmail'),
  };
  if (request.companyName.length < 2)
    issues.push({
      path: 'invoiceRequest.companyName',
      message: tr('Hãy nhập tên công ty.', 'Enter the company name.'),
    });
  if (!TAX_CODE.test(request.taxCode))
    issues.push({
      path: 'invoiceRequest.taxCode',
      message: tr(
        'Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số (ví dụ 0101234567 hoặc 0101234567-001).',
        'A tax code is 10 digits, or 10 digits, a hyphen and 3 digits (e.g. 0101234567 or 0101234567-001).',
      ),
    });
  if (request.address.length < 5)
    issues.push({
      path: 'invoiceRequest.address',
      message: tr('Hãy nhập địa chỉ công ty.', 'Enter the company address.'),
    });
  if (!EMAIL.test(request.email))
    issues.push({
      path: 'invoiceRequest.email',
      message: tr(
        'Hãy nhập e-mail nhận hóa đơn, ví dụ ketoan@congty.vn.',
        'Enter the e-mail to send the invoice to, e.g. accounts@company.vn.',
      ),
    });
  return request;
}
