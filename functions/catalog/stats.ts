/**
 * The programme's open statistics (public, read only): the overview the `/thong-ke/` page shows,
 * and each month's open data as JSON or CSV under a stable URL (CC BY 4.0). Counters are kept
 * from the table's stream (functions/stats/stream-worker.ts); figures from fewer than five
 * producers or orders are withheld (shared/stats/publish.ts). What the operations answer is
 * documented in stats.doc.ts, which only the OpenAPI document imports.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Env, Hono } from 'hono';
import * as z from 'zod';
import { DomainError } from '../../shared/domain/errors.ts';
import { iocSettings } from '../../shared/stats/ioc-push.ts';
import {
  iocExportOf,
  monthCsv,
  OPEN_DATA_FILE,
  openDataMonth,
  statisticsOverview,
} from '../../shared/stats/views.ts';
import { routeOperationDefiner, validate } from '../http.ts';
import { CATALOG_ROUTES } from './routes.ts';

const defineOperation = routeOperationDefiner(CATALOG_ROUTES);

const NoQuery = z.strictObject({});
const DateParam = z.strictObject({
  date: z.iso.date('Ngày phải có dạng YYYY-MM-DD, ví dụ 2026-01-31 / Use YYYY-MM-DD'),
});
const FileParam = z.strictObject({
  file: z
    .string()
    .regex(
      OPEN_DATA_FILE,
      'Tên tệp phải có dạng YYYY-MM.json hoặc YYYY-MM.csv, ví dụ 2026-01.csv / Use YYYY-MM.json or YYYY-MM.csv',
    ),
});

export const statsOperations = {
  getStatistics: defineOperation('getStatistics', { query: NoQuery }),
  downloadOpenData: defineOperation('downloadOpenData', { param: FileParam, query: NoQuery }),
  getIocExport: defineOperation('getIocExport', { param: DateParam, query: NoQuery }),
};

/** Constant-time comparison of the given key with the configured one (no key configured: refused). */
export function iocKeyMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Compared whatever the lengths, so the time taken does not tell a wrong length apart.
  const equal = timingSafeEqual(a.length === b.length ? a : b, b);
  return equal && a.length === b.length;
}

// Counters move with every order; a minute at the edge keeps the table's reads to a few a minute.
const STATS_CACHE = 'public, max-age=60, stale-while-revalidate=300';

export function registerStatsRoutes(app: Hono<Env>): void {
  const overview = statsOperations.getStatistics;
  app.on(overview.method, overview.honoPath, validate('query', NoQuery), async (c) => {
    const body = await statisticsOverview();
    c.header('Cache-Control', STATS_CACHE);
    return c.json(body);
  });
  const file = statsOperations.downloadOpenData;
  app.on(file.method, file.honoPath, validate('param', FileParam), validate('query', NoQuery), async (c) => {
    const [, month, format] = OPEN_DATA_FILE.exec(c.req.valid('param').file)!;
    const stats = await openDataMonth(month!);
    c.header('Cache-Control', STATS_CACHE);
    if (format === 'json') return c.json(stats);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `inline; filename="thong-ke-${month}.csv"`);
    return c.body(monthCsv(stats));
  });
  const ioc = statsOperations.getIocExport;
  app.on(ioc.method, ioc.honoPath, async (c, next) => {
    // The key is checked before anything else is read, the date included.
    if (!iocKeyMatches(c.req.header('x-api-key'), iocSettings().apiKey))
      throw new DomainError(
        'unauthorized',
        'ioc.key_invalid',
        'Thiếu hoặc sai khóa x-api-key của nguồn dữ liệu IOC / Missing or wrong x-api-key',
      );
    await next();
  });
  app.on(ioc.method, ioc.honoPath, validate('param', DateParam), validate('query', NoQuery), async (c) => {
    const body = await iocExportOf(c.req.valid('param').date);
    c.header('Cache-Control', 'private, no-store');
    return c.json(body);
  });
}
