/**
 * The sellers' SInvoice accounts (shared/invoices/credentials.ts): one contract, run against the
 * local adapters (memory, files of mode 0600) and the AWS one (SSM SecureStrings, against a
 * hand-made SSM client that keeps parameters as Parameter Store does); the credentials body's
 * rules; the masked user name.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  ParameterNotFound,
  PutParameterCommand,
  type GetParameterCommandInput,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ssmCredentialStore } from '../../functions/adapters/ssm-credential-store.ts';
import { fileCredentialStore, memoryCredentialStore } from '../../infra/local/einvoice-credentials.ts';
import {
  maskUsername,
  ProviderCredentialsBody,
  type ProviderCredentialStore,
} from '../../shared/invoices/credentials.ts';
import { InvoiceSettingsBody } from '../../shared/invoices/model.ts';

const ACCOUNT = { username: 'htx-tancuong-01', password: 'Mật khẩu có dấu cách 1!' };
const OTHER = { username: '4600123456-001', password: 'p@ss-2026' };

/** Parameter Store as far as the adapter uses it: Put (Overwrite) and Get (WithDecryption). */
function fakeSsm() {
  const parameters = new Map<string, { value: string; type: string }>();
  const calls: string[] = [];
  const client = {
    async send(command: GetParameterCommand | PutParameterCommand) {
      if (command instanceof PutParameterCommand) {
        const input: PutParameterCommandInput = command.input;
        calls.push(`put ${input.Name}`);
        if (parameters.has(input.Name!) && !input.Overwrite) throw new Error('ParameterAlreadyExists');
        parameters.set(input.Name!, { value: input.Value!, type: input.Type! });
        return { Version: 1 };
      }
      const input: GetParameterCommandInput = command.input;
      calls.push(`get ${input.Name}`);
      const found = parameters.get(input.Name!);
      if (!found) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
      if (found.type === 'SecureString' && !input.WithDecryption) return { Parameter: { Value: 'AQICAH…' } };
      return { Parameter: { Name: input.Name, Value: found.value, Type: found.type } };
    },
  };
  return { client, parameters, calls };
}

const adapters: [string, () => ProviderCredentialStore][] = [
  ['memory', () => memoryCredentialStore()],
  ['files', () => fileCredentialStore(mkdtempSync(join(tmpdir(), 'tn-einvoice-')))],
  ['SSM', () => ssmCredentialStore({ path: '/tn-exchange/test/einvoice', client: fakeSsm().client })],
];

describe.each(adapters)('the %s credential store', (_name, make) => {
  it('has nothing for a seller until it is put, then answers what was put, per seller', async () => {
    const store = make();
    expect(store.sharedDefault).toBe(false);
    expect(await store.get('cooperative-a')).toBeUndefined();
    await store.put('cooperative-a', ACCOUNT);
    await store.put('enterprise-b', OTHER);
    expect(await store.get('cooperative-a')).toEqual(ACCOUNT);
    expect(await store.get('enterprise-b')).toEqual(OTHER);
  });

  it('replaces a seller’s account when put again (a changed password)', async () => {
    const store = make();
    await store.put('cooperative-a', ACCOUNT);
    await store.put('cooperative-a', { ...ACCOUNT, password: 'Mat-khau-moi-2027' });
    store.forget('cooperative-a');
    expect(await store.get('cooperative-a')).toEqual({ ...ACCOUNT, password: 'Mat-khau-moi-2027' });
  });

  it('refuses a seller id that could name another path', async () => {
    const store = make();
    for (const id of ['../payments/vnpay-hash-secret', 'a/b', '', '.hidden', 'x'.repeat(65)]) {
      await expect(store.put(id, ACCOUNT), id).rejects.toThrow(/seller id/);
      await expect(store.get(id), id).rejects.toThrow(/seller id/);
    }
  });
});

describe('the local stores', () => {
  it('give every seller the emulator’s demo account when asked to, its own one first', async () => {
    const demo = { username: 'sinvoice-dev', password: 'sinvoice-dev-password' };
    for (const store of [
      memoryCredentialStore({ fallback: demo }),
      fileCredentialStore(mkdtempSync(join(tmpdir(), 'tn-einvoice-')), { fallback: demo }),
    ]) {
      expect(store.sharedDefault).toBe(true);
      expect(await store.get('cooperative-a')).toEqual(demo);
      await store.put('cooperative-a', ACCOUNT);
      expect(await store.get('cooperative-a')).toEqual(ACCOUNT);
      expect(await store.get('enterprise-b')).toEqual(demo);
    }
  });

  it('keep one file per seller, readable by its owner only, that a restart reads back', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'tn-einvoice-')), 'einvoice-accounts');
    await fileCredentialStore(root).put('cooperative-a', ACCOUNT);
    expect(readdirSync(root)).toEqual(['cooperative-a.json']);
    expect(statSync(join(root, 'cooperative-a.json')).mode & 0o777).toBe(0o600);
    expect(statSync(root).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'cooperative-a.json'), 'utf8'))).toEqual(ACCOUNT);
    expect(await fileCredentialStore(root).get('cooperative-a')).toEqual(ACCOUNT);
  });
});

describe('the SSM store', () => {
  it('puts one SecureString per seller under the path, create or replace, and reads it decrypted', async () => {
    const ssm = fakeSsm();
    const store = ssmCredentialStore({ path: '/tn-exchange/prod/einvoice/', client: ssm.client });
    await store.put('cooperative-a', ACCOUNT);
    await store.put('cooperative-a', ACCOUNT);
    const kept = ssm.parameters.get('/tn-exchange/prod/einvoice/cooperative-a')!;
    expect(kept.type).toBe('SecureString');
    expect(JSON.parse(kept.value)).toEqual(ACCOUNT);
    expect(ssm.calls).toEqual([
      'put /tn-exchange/prod/einvoice/cooperative-a',
      'put /tn-exchange/prod/einvoice/cooperative-a',
    ]);
  });

  it('keeps a read for its time-to-live, reads again after it or once forgotten', async () => {
    const ssm = fakeSsm();
    let clock = 1_000_000;
    const writer = ssmCredentialStore({ path: '/p/einvoice', client: ssm.client });
    const reader = ssmCredentialStore({
      path: '/p/einvoice',
      client: ssm.client,
      ttlMs: 60_000,
      now: () => clock,
    });
    await writer.put('cooperative-a', ACCOUNT);
    expect(await reader.get('cooperative-a')).toEqual(ACCOUNT);
    expect(await reader.get('cooperative-a')).toEqual(ACCOUNT);
    expect(ssm.calls.filter((c) => c.startsWith('get'))).toHaveLength(1);

    // The seller changes its password on the board (another container); the reader still has the old one…
    await writer.put('cooperative-a', OTHER);
    expect(await reader.get('cooperative-a')).toEqual(ACCOUNT);
    // …until SInvoice refuses it (forget) or the minute is over.
    reader.forget('cooperative-a');
    expect(await reader.get('cooperative-a')).toEqual(OTHER);
    await writer.put('cooperative-a', ACCOUNT);
    clock += 60_001;
    expect(await reader.get('cooperative-a')).toEqual(ACCOUNT);
    expect(ssm.calls.filter((c) => c.startsWith('get'))).toHaveLength(3);
  });

  it('does not remember that a seller had no account, and lets other failures through', async () => {
    const ssm = fakeSsm();
    const store = ssmCredentialStore({ path: '/p/einvoice', client: ssm.client });
    expect(await store.get('cooperative-a')).toBeUndefined();
    ssm.parameters.set('/p/einvoice/cooperative-a', { value: JSON.stringify(ACCOUNT), type: 'SecureString' });
    expect(await store.get('cooperative-a')).toEqual(ACCOUNT);

    const failing = ssmCredentialStore({
      path: '/p/einvoice',
      client: {
        send: async () =>
          Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
      },
    });
    await expect(failing.get('cooperative-a')).rejects.toThrow(/denied/);
    ssm.parameters.set('/p/einvoice/broken', { value: '{"username":"x"}', type: 'SecureString' });
    await expect(store.get('broken')).rejects.toThrow(/malformed/);
  });
});

describe('the credentials in the settings body', () => {
  const settings = {
    enabled: true,
    legalName: 'Hợp tác xã Chè Tân Cương',
    taxCode: '4600123456',
    address: 'Xã Tân Cương, tỉnh Thái Nguyên',
    templateCode: '1/001',
    series: 'C25TAA',
    issueOn: 'completed',
    grower: true,
  };

  it('are optional, strict and bounded, with Vietnamese messages', () => {
    expect(InvoiceSettingsBody.safeParse(settings).success).toBe(true);
    expect(InvoiceSettingsBody.safeParse({ ...settings, credentials: ACCOUNT }).success).toBe(true);
    const cases: [unknown, RegExp][] = [
      [{ username: '', password: 'x' }, /Nhập tên đăng nhập SInvoice/],
      [{ username: 'htx', password: '' }, /Nhập mật khẩu SInvoice/],
      [{ username: 'a'.repeat(101), password: 'x' }, /tối đa 100 ký tự/],
      [{ username: 'htx', password: 'p'.repeat(129) }, /tối đa 128 ký tự/],
      [{ username: 'htx tan cuong', password: 'x' }, /không chứa khoảng trắng/],
      [{ username: 'htx', password: 'a\u0000b' }, /ký tự điều khiển/],
    ];
    for (const [credentials, message] of cases) {
      const parsed = InvoiceSettingsBody.safeParse({ ...settings, credentials });
      expect(parsed.success, JSON.stringify(credentials)).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
    }
    expect(ProviderCredentialsBody.safeParse({ ...ACCOUNT, token: 'x' }).success).toBe(false);
  });

  it('show only a masked user name', () => {
    expect(maskUsername('htx-tancuong-01')).toBe('ht••••••••01');
    expect(maskUsername('4600123456')).toBe('46••••••56');
    expect(maskUsername('abcd')).toBe('a•••');
    expect(maskUsername('htx-tancuong-01')).not.toContain('tancuong');
  });
});
