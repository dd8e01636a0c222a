/**
 * Runs one bench on its own (`npx tsx tests/bench/<name>.ts`): a fresh exchange with the demo
 * data in a temporary folder, no site, no background timers; stopped and removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExchange } from '../../infra/local/runtime.ts';

// One machine, one address: the order limits off for the bench (see tests/bench/measure.ts).
process.env.RATE_LIMITS = 'off';

/** True when `file` (a bench's `import.meta.url`) is the script node was asked to run. */
export const isMain = (file: string) =>
  !!process.argv[1] && file.endsWith(process.argv[1].replace(/^.*?tests\//, 'tests/'));

export async function runStandalone(name: string, bench: () => Promise<void>): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const work = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const exchange = await startExchange({
    port: 0,
    mediaDir: join(work, 'media'),
    site: 'never',
    paymentJobsIntervalMs: 0,
  });
  try {
    await bench();
  } finally {
    await exchange.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
