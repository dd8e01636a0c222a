/**
 * The statistics the public reads (`GET /api/stats`, `GET /api/stats/{month}.json|.csv`): the
 * counters of shared/db/stats.ts, published through the one suppression rule of publish.ts.
 */
import { readCounters } from '../db/stats.ts';
import { invalid, notFound } from '../domain/errors.ts';
import {
  monthCsv,
  monthStatistics,
  overview,
  type MonthStatistics,
  type StatisticsOverview,
} from './publish.ts';
import { iocExport, type IocExport } from './ioc.ts';
import {
  CERTIFICATE_WARNING_DAYS,
  NO_SALE_DAYS,
  programmeCsv,
  programmeReport,
  type ProgrammeReport,
  type ProgrammeTargets,
} from './programme.ts';
import {
  certificatesExpiring,
  householdsWithoutSaleSince,
  listingsInReview,
  producerContacts,
  productNames,
  putProgrammeTargets,
  readProgrammeTargets,
} from '../db/programme.ts';

export async function statisticsOverview(now: number = Date.now()): Promise<StatisticsOverview> {
  const [producers, listings, ocop, householdsSold, months] = await Promise.all([
    readCounters('producers', 'all'),
    readCounters('listings', 'all'),
    readCounters('ocop', 'all'),
    readCounters('households_sold', 'all'),
    readCounters('months', 'all'),
  ]);
  return overview({ producers, listings, ocop, householdsSold, months }, now);
}

/** `YYYY-MM.json` or `YYYY-MM.csv`: a month of open data. */
export const OPEN_DATA_FILE = /^(\d{4}-(?:0[1-9]|1[0-2]))\.(json|csv)$/;

/**
 * A month's open data, or a 404 for a month with no orders counted (before the exchange opened,
 * or not yet begun).
 */
export async function openDataMonth(month: string): Promise<MonthStatistics> {
  if (!/^\d{4}-(?:0[1-9]|1[0-2])$/.test(month))
    throw invalid('stats.month_invalid', `Tháng "${month}" không hợp lệ: dùng dạng YYYY-MM, ví dụ 2026-01.`);
  const [orders, delivery] = await Promise.all([
    readCounters('orders', month),
    readCounters('delivery', month),
  ]);
  if (orders.length === 0 && delivery.length === 0)
    throw notFound(
      'stats.month_unknown',
      `Chưa có số liệu thống kê cho tháng ${month}. Xem các tháng có số liệu tại /api/stats (mục months).`,
    );
  return monthStatistics(month, { orders, delivery });
}

export { monthCsv };

/** The IOC feed's export of one day (shared/stats/ioc.ts), from the counters as they stand. */
export async function iocExportOf(date: string, now: number = Date.now()): Promise<IocExport> {
  if (!/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/.test(date) || Number.isNaN(Date.parse(date)))
    throw invalid('ioc.date_invalid', `Ngày "${date}" không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2026-01-31.`);
  const month = date.slice(0, 7);
  const [days, orders, delivery, summary] = await Promise.all([
    readCounters('days', month),
    readCounters('orders', month),
    readCounters('delivery', month),
    statisticsOverview(now),
  ]);
  return iocExport(
    date,
    { days, month: monthStatistics(month, { orders, delivery }), overview: summary },
    now,
  );
}

/** The admin's programme report (shared/stats/programme.ts) from its indexes and counters. */
export async function programmeReportOf(now: number = Date.now()): Promise<ProgrammeReport> {
  const cutoff = new Date(now - NO_SALE_DAYS * 86_400_000).toISOString();
  const today = new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
  const horizon = new Date(Date.parse(today) + CERTIFICATE_WARNING_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const [targets, onboarded, reviews, certificates, households] = await Promise.all([
    readProgrammeTargets(),
    readCounters('onboarded', 'all'),
    listingsInReview(),
    certificatesExpiring(today, horizon),
    householdsWithoutSaleSince(cutoff),
  ]);
  const [producers, products] = await Promise.all([
    producerContacts([...reviews.map((r) => r.producerId), ...households.map((h) => h.producerId)]),
    productNames(certificates.map((c) => c.productId)),
  ]);
  return programmeReport({ targets, onboarded, reviews, certificates, households, producers, products }, now);
}

export async function programmeReportCsv(now: number = Date.now()): Promise<string> {
  return programmeCsv(await programmeReportOf(now));
}

export async function setProgrammeTargets(targets: ProgrammeTargets, by: string): Promise<ProgrammeTargets> {
  await putProgrammeTargets(targets, by, new Date().toISOString());
  return targets;
}
