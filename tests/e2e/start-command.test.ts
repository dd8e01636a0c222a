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

/** Starts `npm start`'s program as a shell would, and resolves once it prints its URLs. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['infra/local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`start exited early (${code}):\n${output}`)));
  });
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );
}

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
    const dataDir = mkdtempSync(join(tmpdir(), 'exchange-data-'));
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
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['infra/local/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'exchange-data-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    expect(await stopped(child)).toBe(1);
    blocker.close();
    expect(output.trim()).toBe(
      `[exchange] Port ${port} is already in use: stop the other process or run with another port, e.g. PORT=${port + 1} npm start`,
    );
  });

  it('says in one line how to install Java when it is missing', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'infra/local/start.ts'],
      {
        cwd: REPO_ROOT,
        // A PATH without java (node is started by absolute path).
        env: {
          ...process.env,
          PATH: '/nonexistent',
          PORT: String(await freePort()),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'exchange-data-')),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    running.push(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    expect(await stopped(child)).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain('apt-get install -y default-jre-headless');
  });
});
