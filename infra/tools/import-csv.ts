/**
 * `npm run import -- file.csv [--phone 0912000101]`: imports a product sheet into the exchange
 * through the same API the cooperative board uses, 25 rows per request, with a progress bar and
 * the errors of each failed row by line number. Signs in with a one-time code: read from the
 * dev inbox when the API is the local runtime, else typed in from the SMS.
 *
 *   --api URL      the exchange (default http://127.0.0.1:$PORT or :8080)
 *   --phone PHONE  the cooperative's (or producer's) phone; asked for when missing (or IMPORT_PHONE)
 *   --code CODE    the code, if you already have it
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { chunks, CsvError, toImportRows } from '../../shared/domain/csv.ts';
import { IMPORT_LIMITS } from '../../shared/domain/seller.ts';

interface RowResult {
  line: number;
  ok: boolean;
  productId?: string;
  errors?: { field: string; message: string }[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { api: { type: 'string' }, phone: { type: 'string' }, code: { type: 'string' } },
});
const api = (values.api ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`).replace(/\/$/, '');
const file = positionals[0];

function fail(message: string): never {
  console.error(`import: ${message}`);
  process.exit(2);
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!res.ok) fail(body.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

async function signIn(phone: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await json(await post('/api/auth/start', { phone }));
  let code = values.code;
  if (!code) {
    const inbox = await fetch(`${api}/dev/inbox`).then(
      (r) => (r.ok ? (r.json() as Promise<{ text: string; kind: string }[]>) : null),
      () => null,
    );
    code = inbox?.find((m) => m.kind === 'sign_in_code')?.text.match(/\b(\d{6})\b/)?.[1];
  }
  code ??= await ask('Mã đăng nhập (SMS) / Sign-in code: ');
  return (await json<{ accessToken: string }>(await post('/api/auth/verify', { phone, code }))).accessToken;
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await rl.question(question)).trim();
  rl.close();
  return answer;
}

function bar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

async function main() {
  if (!file) fail('usage: npm run import -- FILE.csv --phone PHONE [--api URL] [--code CODE]');
  const phone =
    values.phone ??
    process.env.IMPORT_PHONE ??
    (process.stdin.isTTY ? await ask('Số điện thoại / Phone: ') : '');
  if (!phone) fail('--phone is required (the account that will own the listings)');
  let rows;
  try {
    rows = toImportRows(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(error instanceof CsvError ? error.message : `cannot read ${file}: ${String(error)}`);
  }
  if (rows.length === 0) fail('the file has no rows');
  const token = await signIn(phone);
  const results: RowResult[] = [];
  for (const batch of chunks(rows, IMPORT_LIMITS.rowsPerRequest)) {
    const res = await fetch(`${api}/api/seller/imports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ rows: batch }),
    });
    results.push(...(await json<{ results: RowResult[] }>(res)).results);
    process.stdout.write(`\r${bar(results.length, rows.length)}`);
  }
  process.stdout.write('\n');
  const failed = results.filter((r) => !r.ok);
  for (const row of failed) {
    for (const error of row.errors ?? [])
      console.log(`line ${row.line}: ${error.field ? `${error.field}: ` : ''}${error.message}`);
  }
  console.log(`${results.length - failed.length} imported as drafts, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

await main();
