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

    const first = await start(env);
    expect(first.output()).toContain(`http://127.0.0.1:${port}/`);
    expect(first.output()).toMatch(/seeded \d+ producers and \d+ products/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    const firstPage = (await (
      await fetch(`http://127.0.0.1:${port}/api/catalog/products?limit=60`)
    ).json()) as { total: number; items: { id: string }[] };
    expect(firstPage.total).toBeGreaterThanOrEqual(30);
    const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(home).toContain('lang="vi"');
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
