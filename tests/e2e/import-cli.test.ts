import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/site-build.ts';
import { startExchange, type RunningExchange } from '../../infra/local/runtime.ts';

let exchange: RunningExchange;
beforeAll(async () => {
  exchange = await startExchange({ port: 0, mediaDir: mkdtempSync(join(tmpdir(), 'media-')), site: 'never' });
});
afterAll(() => exchange?.stop());

describe('npm run import', () => {
  it('imports good rows as drafts and reports bad rows by line, exiting 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    const file = join(dir, 'san-pham.csv');
    writeFileSync(
      file,
      [
        'category,name_vi,name_en,description_vi,packs',
        'mat-ong,Mật ong hoa nhãn,Longan honey,"Mật ong, vụ xuân",chai 500 ml:200000:10',
        'khong-co,Sai danh mục,,x,200g:1:1',
        'che-non,"Chè nõn',
        'hai dòng",,Ngon,200g:-1:3',
      ].join('\n'),
    );
    // The exchange runs in this process: the CLI must run asynchronously beside it.
    const run = promisify(execFile)(
      join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['infra/tools/import-csv.ts', file, '--phone', '0912 000 101', '--api', exchange.url],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const out = failure!.stdout;
    expect(out).toContain('3/3');
    expect(out).toMatch(/line 3: category: /);
    expect(out).toMatch(/line 4: packs\.0\.price: /);
    expect(out).toContain('1 imported as drafts, 2 failed');
  });
});
