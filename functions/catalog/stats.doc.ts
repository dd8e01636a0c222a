/**
 * What the open statistics' operations answer (functions/catalog/stats.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this.
 */
import { IocExport } from '../../shared/stats/ioc.ts';
import { MonthStatistics, StatisticsOverview } from '../../shared/stats/publish.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { statsOperations } from './stats.ts';

export const statsOperationsDocs: OperationDocsOf<typeof statsOperations> = {
  getStatistics: {
    summary: "The programme's headline figures, by commune and by month (figures from fewer than 5 withheld)",
    description:
      'Verified producers by kind and commune, households with at least one delivered sale, published listings by category, valid OCOP certificates by star, and orders, units, sales (VND), deliveries and the share of orders delivered outside Thái Nguyên by month. A `null` figure comes from fewer than 5 producers or orders and is withheld. Licence CC BY 4.0.',
    responses: {
      200: jsonResponse(StatisticsOverview, 'The statistics'),
      400: errorResponse('Unknown query parameter'),
    },
  },
  downloadOpenData: {
    summary: "One month's open data: `YYYY-MM.json` or `YYYY-MM.csv` (CC BY 4.0)",
    description:
      'Orders, units and sales (VND) of the month by payment method, delivery region, commune of origin and category, and delivery times of the parts delivered in the month. Suppressed figures are `null` in JSON and empty with `suppressed` = 1 in CSV. Schema in the README, section "Open statistics".',
    responses: {
      200: jsonResponse(MonthStatistics, 'The month (JSON; the `.csv` file is text/csv)'),
      400: errorResponse('Not a month file name'),
      404: errorResponse('No statistics for that month'),
    },
  },
  getIocExport: {
    summary: "The IOC feed's export of one day (pull; the same document the daily push sends)",
    description:
      "For the provincial intelligent operations centre: the day's and month-to-date aggregates, the month's breakdowns and the headline figures, with the open data's suppression (`null`: fewer than 5 behind it). No personal data. Needs the header `x-api-key` with the key the exchange gave the IOC; a missing or wrong key is answered 401. Schema in the README, section \"IOC feed\".",
    responses: {
      200: jsonResponse(IocExport, 'The export of that day'),
      400: errorResponse('Not a date'),
      401: errorResponse('Missing or wrong x-api-key'),
    },
  },
};
