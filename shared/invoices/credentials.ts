/**
 * A seller's own account at the e-invoice provider. Each VAT-registered seller issues under its
 * own tax code with its own SInvoice account, so the provider is called with the seller's
 * credentials, never with one platform account. The secret is kept outside the table item the
 * board reads (db/invoices.ts keeps only whether it is set and a masked user name): in AWS one
 * SecureString parameter per seller (functions/adapters/ssm-credential-store.ts), locally a file
 * per seller in the data folder (infra/local/einvoice-credentials.ts). No AWS here.
 */
import * as z from 'zod';

// Printable, no spaces or control characters: what an account name or password can be typed as.
const PRINTABLE = /^[^\s\p{Cc}]+$/u;
const NO_CONTROL = /^[^\p{Cc}]+$/u;

/** What a seller enters as its SInvoice account (write-only: never answered back). */
export const ProviderCredentialsBody = /* @__PURE__ */ z
  .strictObject({
    username: z
      .string()
      .trim()
      .min(1, 'Nhập tên đăng nhập SInvoice của đơn vị')
      .max(100, 'Tên đăng nhập SInvoice tối đa 100 ký tự')
      .regex(PRINTABLE, 'Tên đăng nhập SInvoice không chứa khoảng trắng'),
    password: z
      .string()
      .min(1, 'Nhập mật khẩu SInvoice của đơn vị')
      .max(128, 'Mật khẩu SInvoice tối đa 128 ký tự')
      .regex(NO_CONTROL, 'Mật khẩu SInvoice không chứa ký tự điều khiển'),
  })
  .meta({ id: 'ProviderCredentials' });
export type ProviderCredentials = z.infer<typeof ProviderCredentialsBody>;

/** Where sellers' provider credentials are kept, by seller (producer) id. */
export interface ProviderCredentialStore {
  /** The seller's credentials; undefined when it has entered none (and there is no shared default). */
  get(sellerId: string): Promise<ProviderCredentials | undefined>;
  /** Creates or replaces the seller's credentials. */
  put(sellerId: string, credentials: ProviderCredentials): Promise<void>;
  /** Drops what is cached of a seller's credentials (after the provider refused them). */
  forget(sellerId: string): void;
  /**
   * Every seller has working credentials without entering its own: the local emulator's demo
   * account, so `npm start` issues invoices out of the box. Never in AWS, where a seller turning
   * invoices on must enter its account first.
   */
  readonly sharedDefault: boolean;
}

/** Seller ids are used in parameter names and file names: nothing else than these characters. */
export const SELLER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkSellerId(sellerId: string): string {
  if (!SELLER_ID.test(sellerId) || sellerId.startsWith('.')) {
    throw new Error(`Not a seller id usable as a secret name: ${JSON.stringify(sellerId)}`);
  }
  return sellerId;
}

/** The user name as the board may show it: first and last two characters ("ht••••01"). */
export function maskUsername(username: string): string {
  if (username.length <= 4) return `${username[0] ?? ''}${'•'.repeat(Math.max(username.length - 1, 0))}`;
  return `${username.slice(0, 2)}${'•'.repeat(Math.min(username.length - 4, 8))}${username.slice(-2)}`;
}

/** Reads stored credentials (JSON), refusing anything that is not a username and a password. */
export function parseStoredCredentials(text: string): ProviderCredentials {
  const parsed = ProviderCredentialsBody.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('Stored e-invoice credentials are malformed');
  return parsed.data;
}
