/**
 * One door to the table: only the storage module (`shared/db/`) talks to DynamoDB. Every other
 * file of the application code (`shared/`, `functions/`) reaches the table through its typed
 * functions; the AWS SDK appears elsewhere only in the adapters of other services listed here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const STORAGE = 'shared/db/';
const TABLE_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'];

/** Adapters of services other than the table, and the SDK packages each may use. */
const SERVICE_ADAPTERS: Record<string, string[]> = {
  'shared/images/s3.ts': ['@aws-sdk/client-s3'],
  'shared/auth/cognito-sign-in.ts': ['@aws-sdk/client-cognito-identity-provider'],
  'functions/media/handler.ts': ['@aws-sdk/client-s3'],
  'functions/producers/s3-upload-targets.ts': ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
  'functions/adapters/ssm-parameters.ts': ['@aws-sdk/client-ssm'],
  // The sellers' SInvoice accounts, one SecureString each.
  'functions/adapters/ssm-credential-store.ts': ['@aws-sdk/client-ssm'],
  'functions/adapters/sns-messenger.ts': ['@aws-sdk/client-sns'],
  'functions/adapters/sqs-notice-queue.ts': ['@aws-sdk/client-sqs'],
  'functions/adapters/s3-snapshot-store.ts': ['@aws-sdk/client-s3'],
  'functions/adapters/cognito-identity.ts': ['@aws-sdk/client-cognito-identity-provider'],
  'functions/site-rebuild/invalidate-handler.ts': ['@aws-sdk/client-cloudfront'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every package a file imports, re-exports or loads dynamically. */
function importedPackages(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

const files = [...sourceFiles('shared'), ...sourceFiles('functions')].map((f) =>
  relative(ROOT, join(ROOT, f)),
);
const outside = files.filter((file) => !file.startsWith(STORAGE));

describe('storage boundary', () => {
  it('finds the application code', () => {
    expect(outside.length).toBeGreaterThan(50);
    expect(files.some((file) => file.startsWith(STORAGE))).toBe(true);
  });

  it('no file outside shared/db imports a DynamoDB package', () => {
    const offenders = outside.flatMap((file) =>
      importedPackages(readFileSync(join(ROOT, file), 'utf8'))
        .filter((name) => TABLE_PACKAGES.includes(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(offenders).toEqual([]);
  });

  it('other AWS SDK packages only in the listed service adapters', () => {
    const offenders = outside.flatMap((file) =>
      importedPackages(readFileSync(join(ROOT, file), 'utf8'))
        .filter((name) => name.startsWith('@aws-sdk/') && !(SERVICE_ADAPTERS[file] ?? []).includes(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the listed adapters exist (a renamed one is not silently allowed)', () => {
    for (const file of Object.keys(SERVICE_ADAPTERS)) expect(files).toContain(file);
  });

  it('the import scan sees every form of import', () => {
    expect(
      importedPackages(
        [
          "import { QueryCommand } from '@aws-sdk/lib-dynamodb';",
          "export { x } from '@aws-sdk/client-dynamodb';",
          "const m = await import('@aws-sdk/util-dynamodb');",
          "import '@aws-sdk/client-s3';",
        ].join('\n'),
      ),
    ).toEqual([
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/util-dynamodb',
      '@aws-sdk/client-s3',
    ]);
  });
});
