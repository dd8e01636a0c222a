/**
 * The sellers' SInvoice accounts on this machine (shared/invoices/credentials.ts): one file per
 * seller in the data folder, readable by its owner only (mode 0600), or a map in memory when the
 * data lives in memory (tests, `npm start` without a data folder). The local stand-in for the
 * SecureString parameters of AWS (functions/adapters/ssm-credential-store.ts).
 *
 * Locally every seller has a default: the SInvoice emulator's demo account, which the emulator
 * accepts for any tax code without an account of its own (infra/local/einvoice-emulator.ts). So a
 * demo cooperative issues invoices without entering an account, while a seller that enters one has
 * its own used, exactly as in AWS, where there is no default.
 */
import { join } from 'node:path';
import {
  checkSellerId,
  parseStoredCredentials,
  type ProviderCredentials,
  type ProviderCredentialStore,
} from '../../shared/invoices/credentials.ts';
import { readIfPresent, writeWhole } from './files.ts';

export interface LocalCredentialOptions {
  /** What a seller without credentials of its own signs in with (the emulator's demo account). */
  fallback?: ProviderCredentials;
}

/** In memory: gone with the process. */
export function memoryCredentialStore(options: LocalCredentialOptions = {}): ProviderCredentialStore {
  const kept = new Map<string, ProviderCredentials>();
  return {
    sharedDefault: options.fallback !== undefined,
    async get(sellerId) {
      return kept.get(checkSellerId(sellerId)) ?? options.fallback;
    },
    async put(sellerId, credentials) {
      kept.set(checkSellerId(sellerId), { ...credentials });
    },
    forget() {},
  };
}

/** One JSON file per seller under `root`, mode 0600 (the folder 0700). */
export function fileCredentialStore(
  root: string,
  options: LocalCredentialOptions = {},
): ProviderCredentialStore {
  const fileOf = (sellerId: string) => join(root, `${checkSellerId(sellerId)}.json`);
  return {
    sharedDefault: options.fallback !== undefined,
    async get(sellerId) {
      const text = await readIfPresent(fileOf(sellerId));
      return text ? parseStoredCredentials(text.toString('utf8')) : options.fallback;
    },
    async put(sellerId, credentials) {
      await writeWhole(fileOf(sellerId), JSON.stringify(credentials), 0o600);
    },
    forget() {},
  };
}
