/**
 * Viettel S-Invoice (SInvoice) over its REST web services, as its integration document describes
 * them ("S-invoice Technical service description", Viettel Telecom, 09/2018, and the Vietnamese
 * "Tài liệu mô tả webservice hóa đơn điện tử" v1.1, 04/2019):
 *   http://viettelsolution.com.vn/index.php/san-pham/tai-lieu-api-hoa-don-dien-tu-tieng-anh-einvocie-api-document.81.html
 *   https://vdocuments.mx/web-view-sau-khi-request-c-thc-hin-cn-i-request-phn-hi.html
 *
 *  POST {base}/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/{supplierTaxCode}
 *       HTTP Basic auth (the seller's own SInvoice account, per call), JSON body
 *       {generalInvoiceInfo, buyerInfo, sellerInfo, payments, itemInfo, summarizeInfo, taxBreakdowns}
 *       → {errorCode, description, result: {supplierTaxCode, invoiceNo, transactionID,
 *          reservationCode, codeOfTax}}; errorCode null on success.
 *  POST {base}/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid
 *       form `supplierTaxCode`, `transactionUuid` → {errorCode, description, result: [{
 *       supplierTaxCode, invoiceNo, reservationCode, issueDate, status}]}.
 * `generalInvoiceInfo.transactionUuid` is the caller's id of the transaction: SInvoice checks it
 * for duplicates ("4.4 Cơ chế kiểm trùng giao dịch"), so a request sent again after a timeout does
 * not issue a second invoice, and searchInvoiceByTransactionUuid tells whether the first one was.
 * `adjustmentType` is "1" for an original invoice, "3" a replacement, "5" an adjustment, with
 * `originalInvoiceId` (series and number), `originalInvoiceIssueDate` and `adjustmentInvoiceType`
 * "1" (money); `taxPercentage` -2 means "không chịu thuế" (KCT); an adjusting line that decreases
 * has `isIncreaseItem: false`. HTTP statuses as the document lists them (400, 403, 404, 422, 429,
 * 500); Viettel's sandbox is https://demo-sinvoice.viettel.vn:8443 and the service host
 * https://sinvoice.viettel.vn:8443 (`baseUrl`). The buyer's lookup page is on vinvoice.viettel.vn.
 */
import type { InvoiceDocument } from './model.ts';
import {
  ProviderError,
  type InvoiceProvider,
  type IssuedInvoice,
  type IssueRequest,
  type ProviderAccount,
} from './provider.ts';
import type { VatRate } from './vat.ts';

export const VIETTEL_PATHS = {
  create: '/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/',
  search: '/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid',
} as const;

/** SInvoice's service host (`baseUrl` in AWS unless the environment names another). */
export const VIETTEL_BASE_URL = 'https://sinvoice.viettel.vn:8443';
/** SInvoice's sandbox (demo accounts), for a staging environment. */
export const VIETTEL_SANDBOX_URL = 'https://demo-sinvoice.viettel.vn:8443';

/** Viettel's tax code, written as MSTTCGP (the provider of the e-invoice solution). */
export const VIETTEL_TAX_CODE = '0100109106';

/** The provider's own settings; each seller's account comes with each call (ProviderAccount). */
export interface ViettelSettings {
  baseUrl: string;
  /** Where buyers look invoices up. @default https://vinvoice.viettel.vn/utilities/invoice-search */
  lookupBaseUrl?: string;
  /** Each call's bound. @default 10000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const ADJUSTMENT_TYPE = { original: '1', replacement: '3', adjustment: '5' } as const;
const taxPercentage = (rate: VatRate) => (rate === 'KCT' ? -2 : rate);
const epochOf = (date: string) => Date.parse(`${date}T00:00:00+07:00`);

/** The createInvoice body of a document, field by field as the integration document names them. */
export function viettelInvoiceBody(doc: InvoiceDocument, transactionUuid: string) {
  const increase = !(doc.kind === 'adjustment' && doc.decrease);
  return {
    generalInvoiceInfo: {
      invoiceType: '1',
      templateCode: doc.templateCode,
      invoiceSeries: doc.series,
      invoiceIssuedDate: epochOf(doc.issuedOn),
      currencyCode: 'VND',
      adjustmentType: ADJUSTMENT_TYPE[doc.kind],
      paymentStatus: true,
      cusGetInvoiceRight: true,
      transactionUuid,
      ...(doc.related && doc.kind !== 'original'
        ? {
            originalInvoiceId: `${doc.related.series}${doc.related.number}`,
            originalInvoiceIssueDate: epochOf(doc.related.issuedOn),
            additionalReferenceDesc: doc.related.note,
            additionalReferenceDate: epochOf(doc.issuedOn),
            ...(doc.kind === 'adjustment' ? { adjustmentInvoiceType: '1' } : {}),
          }
        : {}),
    },
    buyerInfo: {
      buyerName: doc.buyer.name,
      ...(doc.buyer.taxCode ? { buyerLegalName: doc.buyer.name, buyerTaxCode: doc.buyer.taxCode } : {}),
      ...(doc.buyer.address ? { buyerAddressLine: doc.buyer.address } : {}),
      ...(doc.buyer.phone ? { buyerPhoneNumber: doc.buyer.phone } : {}),
      ...(doc.buyer.email ? { buyerEmail: doc.buyer.email } : {}),
    },
    sellerInfo: {
      sellerLegalName: doc.seller.legalName,
      sellerTaxCode: doc.seller.taxCode,
      sellerAddressLine: doc.seller.address,
    },
    payments: [{ paymentMethodName: doc.paymentMethod }],
    itemInfo: doc.lines.map((line) => ({
      lineNumber: line.no,
      selection: 1,
      itemCode: line.code,
      itemName: line.name,
      unitName: line.unit,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      itemTotalAmountWithoutTax: line.amount,
      taxPercentage: taxPercentage(line.rate),
      taxAmount: line.tax,
      ...(doc.kind === 'adjustment' ? { isIncreaseItem: increase } : {}),
    })),
    summarizeInfo: {
      sumOfTotalLineAmountWithoutTax: doc.totalBeforeTax,
      totalAmountWithoutTax: doc.totalBeforeTax,
      totalTaxAmount: doc.totalTax,
      totalAmountWithTax: doc.total,
      totalAmountWithTaxInWords: doc.totalInWords,
      ...(doc.kind === 'adjustment'
        ? { isTotalAmountPos: increase, isTotalTaxAmountPos: increase, isTotalAmtWithoutTaxPos: increase }
        : {}),
    },
    taxBreakdowns: doc.byRate.map((r) => ({
      taxPercentage: taxPercentage(r.rate),
      taxableAmount: r.amount,
      taxAmount: r.tax,
    })),
  };
}

export type ViettelInvoiceBody = ReturnType<typeof viettelInvoiceBody>;

interface CreateResponse {
  errorCode?: string | number | null;
  description?: string | null;
  result?: {
    supplierTaxCode?: string;
    invoiceNo?: string;
    transactionID?: string;
    reservationCode?: string;
    codeOfTax?: string;
  } | null;
}

interface SearchResponse {
  errorCode?: string | number | null;
  description?: string | null;
  result?:
    | {
        invoiceNo?: string;
        reservationCode?: string;
        issueDate?: number;
        status?: string;
        transactionID?: string;
      }[]
    | null;
}

/** Splits "C25TAA12" (what SInvoice answers as invoiceNo) into its number: "12". */
const numberOf = (invoiceNo: string) => invoiceNo.replace(/^[A-Z]\d{2}[A-Z]{3}/, '');

export function createViettelProvider(settings: ViettelSettings): InvoiceProvider {
  const doFetch = settings.fetch ?? fetch;
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const base = settings.baseUrl.replace(/\/$/, '');
  const basicAuth = ({ credentials }: ProviderAccount) =>
    `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

  async function call(
    account: ProviderAccount,
    path: string,
    init: { body: string; contentType: string },
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          authorization: basicAuth(account),
          'content-type': init.contentType,
          accept: 'application/json',
        },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ProviderError('timeout', 'TIMEOUT', `SInvoice did not answer within ${timeoutMs} ms`);
      }
      throw new ProviderError('unavailable', 'NETWORK', `SInvoice unreachable: ${String(error)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { description: text.slice(0, 200) };
    }
    const description = (body as { description?: string }).description ?? '';
    if (response.status === 401 || response.status === 403) {
      throw new ProviderError(
        'auth',
        String(response.status),
        `SInvoice từ chối tài khoản SInvoice của đơn vị (${response.status}${description ? `: ${description}` : ''}). ` +
          'Nhập lại tên đăng nhập và mật khẩu SInvoice trong cài đặt hóa đơn; hệ thống sẽ tự thử lại.',
      );
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ProviderError(
        'unavailable',
        String(response.status),
        `SInvoice ${response.status}: ${description}`,
      );
    }
    if (!response.ok) {
      const code = (body as { errorCode?: unknown }).errorCode;
      throw new ProviderError(
        'refused',
        String(code ?? response.status),
        `SInvoice ${response.status}: ${description}`,
      );
    }
    return body;
  }

  return {
    name: 'viettel-sinvoice',
    taxCode: VIETTEL_TAX_CODE,
    lookupUrl(lookupCode, sellerTaxCode) {
      const page = settings.lookupBaseUrl ?? 'https://vinvoice.viettel.vn/utilities/invoice-search';
      return `${page}?taxCode=${encodeURIComponent(sellerTaxCode)}&reservationCode=${encodeURIComponent(lookupCode)}`;
    },
    async issue(account, request: IssueRequest): Promise<IssuedInvoice> {
      const body = (await call(account, `${VIETTEL_PATHS.create}${encodeURIComponent(account.taxCode)}`, {
        contentType: 'application/json',
        body: JSON.stringify(viettelInvoiceBody(request.doc, request.transactionId)),
      })) as CreateResponse;
      const result = body.result;
      if (body.errorCode || !result?.invoiceNo || !result.reservationCode) {
        throw new ProviderError(
          'refused',
          String(body.errorCode ?? 'NO_RESULT'),
          body.description ?? 'SInvoice issued nothing',
        );
      }
      return {
        number: numberOf(result.invoiceNo),
        lookupCode: result.reservationCode,
        providerId: result.transactionID ?? request.transactionId,
        ...(result.codeOfTax ? { taxAuthorityCode: result.codeOfTax } : {}),
      };
    },
    async find(account, transactionId) {
      const form = new URLSearchParams({ supplierTaxCode: account.taxCode, transactionUuid: transactionId });
      const body = (await call(account, VIETTEL_PATHS.search, {
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
        body: form.toString(),
      })) as SearchResponse;
      const found = body.result?.[0];
      if (body.errorCode || !found?.invoiceNo || !found.reservationCode) return undefined;
      return {
        number: numberOf(found.invoiceNo),
        lookupCode: found.reservationCode,
        providerId: found.transactionID ?? transactionId,
      };
    },
  };
}
