/**
 * The e-invoice provider seen by the exchange: issue one invoice under a transaction id of ours,
 * and find an invoice by that id (after a timeout, before any retry). One adapter follows a real
 * provider's public API (viettel.ts); infra/local/einvoice-emulator.ts answers the same API.
 * No AWS here.
 */
import type { ProviderCredentials } from './credentials.ts';
import type { InvoiceDocument } from './model.ts';

/** Whose invoice: the seller's tax code and its own account at the provider (credentials.ts). */
export interface ProviderAccount {
  taxCode: string;
  credentials: ProviderCredentials;
}

export interface IssuedInvoice {
  /** The invoice's number in its series (SHDon), given by the provider. */
  number: string;
  /** The code the buyer looks the invoice up with on the provider's lookup page. */
  lookupCode: string;
  /** The provider's own id of the transaction. */
  providerId: string;
  /** The tax authority's code (MCCQT) for invoices "có mã", when the provider has it already. */
  taxAuthorityCode?: string;
}

export interface IssueRequest {
  /** Ours, unique per invoice: sent as the provider's idempotency key (Viettel `transactionUuid`). */
  transactionId: string;
  doc: InvoiceDocument;
}

/** Why a call failed: `timeout` and `unavailable` may have issued nothing or everything. */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unavailable' | 'refused' | 'auth',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** Whether the invoice may have been issued although no answer said so. */
  get uncertain(): boolean {
    return this.kind === 'timeout' || this.kind === 'unavailable';
  }
}

export interface InvoiceProvider {
  readonly name: string;
  /** The provider's own tax code: the XML's MSTTCGP. */
  readonly taxCode: string;
  /** The page where a buyer looks an invoice up by its code. */
  lookupUrl(lookupCode: string, sellerTaxCode: string): string;
  /** Issues under the seller's tax code, signed in with the seller's own account. */
  issue(account: ProviderAccount, request: IssueRequest): Promise<IssuedInvoice>;
  /** The invoice issued under `transactionId`, or undefined when the provider has none. */
  find(account: ProviderAccount, transactionId: string): Promise<IssuedInvoice | undefined>;
}
