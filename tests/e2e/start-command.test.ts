import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { REPO_ROOT } from '../../infra/local/site-build.ts';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/**
 * Runs `npm start`'s program (tsx infra/local/start.ts). Node is started by absolute path, so a
 * test may take java off PATH.
 */
function launch(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'infra/local/start.ts'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.push(child);
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, output: () => output };
}

/** Resolves once the exchange prints its URLs. */
function start(env: Record<string, string>): Promise<ReturnType<typeof launch>> {
  const started = launch(env);
  return new Promise((resolve, reject) => {
    started.child.stdout.on('data', () => {
      if (started.output().includes('Press Ctrl-C to stop.')) resolve(started);
    });
    started.child.once('exit', (code) =>
      reject(new Error(`start exited early (${code}):\n${started.output()}`)),
    );
  });
}

/** What the exchange answered after /api/health came up and before it printed its URLs. */
interface WhileStarting {
  ready: { status: number; retryAfter: string | null };
  page: { status: number; retryAfter: string | null; text: string };
}

/**
 * Starts the exchange and, as soon as /api/health answers (the API is up, the storefront not
 * yet built), asks the readiness route and the home page; then waits for the printed URLs.
 */
async function startWatching(
  env: Record<string, string>,
  port: number,
): Promise<{ started: ReturnType<typeof launch>; whileStarting: WhileStarting }> {
  const ready = start(env);
  ready.catch(() => {}); // awaited below
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const health = await fetch(`${base}/api/health`).catch(() => undefined);
    if (health?.status === 200) break;
    if (Date.now() > deadline) throw new Error('/api/health never answered');
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyAnswer = await fetch(`${base}/api/health/ready`);
  const page = await fetch(`${base}/`);
  const whileStarting: WhileStarting = {
    ready: { status: readyAnswer.status, retryAfter: readyAnswer.headers.get('retry-after') },
    page: { status: page.status, retryAfter: page.headers.get('retry-after'), text: await page.text() },
  };
  const started = await ready;
  return { started, whileStarting };
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );
}

const freshDataDir = () => mkdtempSync(join(tmpdir(), 'exchange-data-'));

/** Java processes whose command line mentions the folder (DynamoDB Local's -dbPath). */
function javaProcessesUsing(folder: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes('DynamoDBLocal') && cmd.includes(folder);
      } catch {
        return false;
      }
    });
}

describe('npm start', () => {
  it('honours PORT and DATA_DIR, stops cleanly on Ctrl-C and reuses the data on the next start', async () => {
    const dataDir = freshDataDir();
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir };

    const { started: first, whileStarting } = await startWatching(env, port);
    // The API answered while the storefront was still being built: not ready, and the pages say
    // so with a 503 (not a 404 of a site not yet built).
    expect(whileStarting.ready).toEqual({ status: 503, retryAfter: '2' });
    expect(whileStarting.page).toMatchObject({ status: 503, retryAfter: '2' });
    expect(whileStarting.page.text).toContain('Đang khởi động…');
    expect(first.output()).toContain(`http://127.0.0.1:${port}/`);
    expect(first.output()).toContain(`http://127.0.0.1:${port}/api/health/ready`);
    const readyNow = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
    expect(readyNow.status).toBe(200);
    expect(first.output()).toMatch(/seeded \d+ producers and \d+ products/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    const firstPage = (await (
      await fetch(`http://127.0.0.1:${port}/api/catalog/products?limit=60`)
    ).json()) as { total: number; items: { id: string }[] };
    expect(firstPage.total).toBeGreaterThanOrEqual(30);
    const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(home).toContain('lang="vi"');
    // Canonical and hreflang URLs name the port the exchange runs on, not a default one.
    expect(home).toContain(`<link rel="canonical" href="http://127.0.0.1:${port}/">`);
    expect(home).toContain(`hreflang="en" href="http://127.0.0.1:${port}/en/"`);
    expect(home).not.toContain('localhost:8080');
    expect(javaProcessesUsing(dataDir)).toHaveLength(1);

    first.child.kill('SIGINT');
    expect(await stopped(first.child)).toBe(0);
    expect(javaProcessesUsing(dataDir)).toEqual([]);

    const second = await start(env);
    expect(second.output()).not.toMatch(/seeded/);
    expect(second.output()).not.toMatch(/building the storefront/);
    const again = (await (await fetch(`http://127.0.0.1:${port}/api/catalog/products?limit=60`)).json()) as {
      total: number;
      items: { id: string }[];
    };
    expect(again.items.map((i) => i.id)).toEqual(firstPage.items.map((i) => i.id));
    second.child.kill('SIGTERM');
    expect(await stopped(second.child)).toBe(0);
    expect(javaProcessesUsing(dataDir)).toEqual([]);
  });

  it('says in one line what to do when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const { child, output } = launch({ PORT: String(port), DATA_DIR: freshDataDir() });
    expect(await stopped(child)).toBe(1);
    blocker.close();
    expect(output().trim()).toBe(
      `[exchange] Port ${port} is already in use: stop the other process or run with another port, e.g. PORT=${port + 1} npm start`,
    );
  });

  it('says in one line how to install Java when it is missing', async () => {
    // A PATH without java.
    const { child, output } = launch({
      PATH: '/nonexistent',
      PORT: String(await freePort()),
      DATA_DIR: freshDataDir(),
    });
    expect(await stopped(child)).toBe(1);
    expect(output().trim().split('\n')).toHaveLength(1);
    expect(output()).toContain('apt-get install -y default-jre-headless');
  });
});
