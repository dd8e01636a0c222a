/**
 * The sellers' SInvoice accounts in AWS (shared/invoices/credentials.ts): one SecureString
 * parameter per seller, `<path>/<sellerId>` (e.g. /tn-exchange/prod/einvoice/<sellerId>), holding
 * `{"username","password"}` encrypted with the account's Parameter Store key. The board function
 * may only put them (ssm:PutParameter on `<path>/*`), the invoice lane may only read them
 * (ssm:GetParameter on `<path>/*`); nothing else in the stack can touch the path
 * (infra/stacks/api-stack.ts `wireInvoices`).
 *
 * Parameter Store rather than Secrets Manager: the exchange keeps every other runtime secret there
 * (payments, carriers, Zalo) with the SSM client it already ships, a standard parameter costs
 * nothing (a secret 0.40 USD a month, per seller), and GetParameter/PutParameter give the same
 * create-or-replace and per-name IAM scoping. The contract is the interface: a Secrets Manager
 * adapter would be this file's twin.
 *
 * Reads are cached in the container for `ttlMs` (a minute): the lane runs every minute over many
 * invoices of the same sellers. A seller's entry is dropped when SInvoice refuses it (`forget`)
 * and replaced when it is put, so a changed password is used by the next attempt.
 */
import { GetParameterCommand, ParameterNotFound, PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  checkSellerId,
  parseStoredCredentials,
  type ProviderCredentials,
  type ProviderCredentialStore,
} from '../../shared/invoices/credentials.ts';
import { ssmClient, type SsmClient } from './ssm-parameters.ts';

export interface SsmCredentialStoreOptions {
  /** The SSM path the sellers' parameters live under (EINVOICE_SSM_PATH). */
  path: string;
  client?: SsmClient;
  /** How long a read is kept. @default 60 s */
  ttlMs?: number;
  now?: () => number;
}

export function ssmCredentialStore(options: SsmCredentialStoreOptions): ProviderCredentialStore {
  const client = options.client ?? ssmClient();
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const path = options.path.replace(/\/$/, '');
  const nameOf = (sellerId: string) => `${path}/${checkSellerId(sellerId)}`;
  const cache = new Map<string, { credentials: ProviderCredentials; until: number }>();

  return {
    sharedDefault: false,
    async get(sellerId) {
      const name = nameOf(sellerId);
      const cached = cache.get(name);
      if (cached && cached.until > now()) return cached.credentials;
      try {
        const answer = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        const value = answer.Parameter?.Value;
        if (!value) return undefined;
        const credentials = parseStoredCredentials(value);
        cache.set(name, { credentials, until: now() + ttlMs });
        return credentials;
      } catch (error) {
        // No parameter: the seller has not entered an account (not cached: it may any moment).
        if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound') {
          cache.delete(name);
          return undefined;
        }
        throw error;
      }
    },
    async put(sellerId, credentials) {
      const name = nameOf(sellerId);
      await client.send(
        new PutParameterCommand({
          Name: name,
          Value: JSON.stringify({ username: credentials.username, password: credentials.password }),
          Type: 'SecureString',
          // Create or replace: a seller re-entering a changed password replaces the old one.
          Overwrite: true,
          Description: 'SInvoice account of one seller (e-invoices); written by the board',
        }),
      );
      cache.set(name, { credentials: { ...credentials }, until: now() + ttlMs });
    },
    forget(sellerId) {
      cache.delete(nameOf(sellerId));
    },
  };
}
