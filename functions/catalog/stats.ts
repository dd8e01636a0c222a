/**
 * The programme's open statistics (public, read only): the overview the `/thong-ke/` page shows,
 * and each month's open data as JSON or CSV under a stable URL (CC BY 4.0). Counters are kept
 * from the table's stream (functions/stats/stream-worker.ts); figures from fewer than five
 * producers or orders are withheld (shared/stats/publish.ts).
 */
import type { Env, Hono } from 'hono';
import * as z from 'zod';
import { MonthStatistics, StatisticsOverview } from '../../shared/stats/publish.ts';
import { monthCsv, OPEN_DATA_FILE, openDataMonth, statisticsOverview } from '../../shared/stats/views.ts';
import { errorResponse, jsonResponse, operationDefiner, validate } from '../http.ts';
import { CATALOG_ROUTES } from './routes.ts';

const defineOperation = operationDefiner(CATALOG_ROUTES);

const NoQuery = z.strictObject({});
const FileParam = z.strictObject({
  file: z
    .string()
    .regex(
      OPEN_DATA_FILE,
      'Tên tệp phải có dạng YYYY-MM.json hoặc YYYY-MM.csv, ví dụ 2026-01.csv / Use YYYY-MM.json or YYYY-MM.csv',
    ),
});

export const statsOperations = {
  getStatistics: defineOperation('getStatistics', {
    summary: "The programme's headline figures, by commune and by month (figures from fewer than 5 withheld)",
    description:
      'Verified producers by kind and commune, households with at least one delivered sale, published listings by category, valid OCOP certificates by star, and orders, units, sales (VND), deliveries and the share of orders delivered outside Thái Nguyên by month. A `null` figure comes from fewer than 5 producers or orders and is withheld. Licence CC BY 4.0.',
    request: { query: NoQuery },
    responses: {
      200: jsonResponse(StatisticsOverview, 'The statistics'),
      400: errorResponse('Unknown query parameter'),
    },
  }),
  downloadOpenData: defineOperation('downloadOpenData', {
    summary: "One month's open data: `YYYY-MM.json` or `YYYY-MM.csv` (CC BY 4.0)",
    description:
      'Orders, units and sales (VND) of the month by payment method, delivery region, commune of origin and category, and delivery times of the parts delivered in the month. Suppressed figures are `null` in JSON and empty with `suppressed` = 1 in CSV. Schema in the README, section "Open statistics".',
    request: { param: FileParam, query: NoQuery },
    responses: {
      200: {
        ...jsonResponse(MonthStatistics, 'The month (JSON; the `.csv` file is text/csv)'),
      },
      400: errorResponse('Not a month file name'),
      404: errorResponse('No statistics for that month'),
    },
  }),
};

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
}
