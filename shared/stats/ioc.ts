/**
 * The feed for the province's intelligent operations centre (IOC): one JSON document a day with
 * the day's and the month-to-date aggregates of the programme's counters, the month's breakdowns
 * and the headline figures. Nothing in it names a person; every figure passes through the open
 * data's one suppression rule (publish.ts `figure()`), so a figure from fewer than five producers
 * or orders is `null` here as it is on /thong-ke/.
 *
 * Signature: the scheme of the exchange's own webhooks (shared/payments/signature.ts), an
 * HMAC-SHA256 with the shared secret over `<unix seconds>.<raw body>`, sent as
 * `X-IOC-Signature: t=<unix seconds>,v1=<hex>`. The receiver recomputes it over the raw body
 * before parsing, compares in constant time and refuses a `t` more than five minutes from its own
 * clock (a replayed delivery); `X-IOC-Delivery` (`ioc-<date>`) is the same for every retry of a
 * day, so a receiver keeps the last one per date. `verifyIocDelivery` below is the reference.
 */
import * as z from 'zod';
import { computeSignature, DEFAULT_TOLERANCE_SECONDS, verifySignatureHeader } from '../payments/signature.ts';
import { SignatureVerificationError } from '../payments/errors.ts';
import {
  figure,
  MonthStatistics,
  STATS_LICENCE,
  SUPPRESSION_THRESHOLD,
  type CounterRow,
  type StatisticsOverview,
} from './publish.ts';

export const IOC_SIGNATURE_HEADER = 'x-ioc-signature';
export const IOC_DELIVERY_HEADER = 'x-ioc-delivery';
export const IOC_SCHEMA_VERSION = 1;

const Figure = z.number().nullable().meta({ description: 'null: fewer than 5 behind it, withheld' });
const Licence = z.strictObject({ name: z.string(), url: z.string(), attribution: z.string() });

const Totals = z.strictObject({
  orders: Figure,
  units: Figure,
  sales: Figure.meta({ description: 'VND' }),
  delivered: Figure.meta({ description: 'Sub-orders delivered' }),
  averageDeliveryHours: Figure,
  outsideShare: Figure.meta({ description: 'Share of delivered-to orders sent outside Thái Nguyên' }),
});

export const IocExport = z
  .strictObject({
    schemaVersion: z.literal(IOC_SCHEMA_VERSION),
    date: z.iso.date().meta({ description: 'The day exported (Vietnam time, UTC+7)' }),
    generatedAt: z.iso.datetime(),
    licence: Licence,
    suppressionThreshold: z.int(),
    day: Totals.meta({ description: 'Orders placed and sub-orders delivered on `date`' }),
    monthToDate: Totals.meta({ description: 'From the first of the month to `date`, inclusive' }),
    month: MonthStatistics.omit({ licence: true, suppressionThreshold: true }).meta({
      description: "The month's breakdowns as counted when the export was made",
    }),
    programme: z.strictObject({
      producers: Figure,
      households: Figure,
      householdsWithSale: Figure,
      listings: Figure,
      ocopValid: Figure,
    }),
  })
  .meta({ id: 'IocExport' });
export type IocExport = z.infer<typeof IocExport>;

const v = (row: CounterRow | undefined, name: string) => row?.values[name] ?? 0;

/** Sums of the `days` counters whose day passes `keep`, published through the suppression rule. */
function totals(rows: readonly CounterRow[], keep: (day: string) => boolean): z.infer<typeof Totals> {
  const sum = (name: string) => rows.filter((r) => keep(r.bucket)).reduce((t, r) => t + v(r, name), 0);
  const orders = sum('n');
  const delivered = sum('delivered');
  const shipped = sum('inside') + sum('outside');
  return {
    orders: figure(orders),
    units: figure(sum('units'), orders),
    sales: figure(sum('sales'), orders),
    delivered: figure(delivered),
    averageDeliveryHours: figure(
      delivered > 0 ? Math.round((sum('deliveryHours') / delivered) * 10) / 10 : 0,
      delivered,
    ),
    outsideShare: figure(shipped > 0 ? Math.round((sum('outside') / shipped) * 1000) / 1000 : 0, shipped),
  };
}

/** The export of `date` from the month's `days` counters, its open data and the overview. */
export function iocExport(
  date: string,
  counters: { days: readonly CounterRow[]; month: MonthStatistics; overview: StatisticsOverview },
  now: number,
): IocExport {
  const { licence: _licence, suppressionThreshold: _threshold, ...month } = counters.month;
  const o = counters.overview;
  return {
    schemaVersion: IOC_SCHEMA_VERSION,
    date,
    generatedAt: new Date(now).toISOString(),
    licence: { ...STATS_LICENCE },
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    day: totals(counters.days, (day) => day === date),
    monthToDate: totals(counters.days, (day) => day <= date),
    month,
    programme: {
      producers: o.producers.total,
      households: o.producers.household,
      householdsWithSale: o.householdsWithSale,
      listings: o.listings.total,
      ocopValid: o.ocop.valid,
    },
  };
}

/** The day before `now` in Vietnam time: what the daily push sends. */
export function previousDay(now: number): string {
  return new Date(now + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

/** The headers of a delivery of `body` signed with `secret` at `timestampS` (unix seconds). */
export function iocHeaders(body: string, secret: string, date: string, timestampS: number) {
  return {
    'content-type': 'application/json; charset=utf-8',
    [IOC_SIGNATURE_HEADER]: `t=${timestampS},v1=${computeSignature(body, secret, timestampS)}`,
    [IOC_DELIVERY_HEADER]: `ioc-${date}`,
  };
}

/**
 * What a receiver does with a delivery: checks the signature over the raw body (constant time,
 * timestamp within `toleranceS` of its clock), then parses it. Throws
 * SignatureVerificationError on a bad or stale signature.
 */
export function verifyIocDelivery(
  rawBody: string,
  signatureHeader: string | undefined,
  secret: string,
  nowS = Math.floor(Date.now() / 1000),
  toleranceS = DEFAULT_TOLERANCE_SECONDS,
): IocExport {
  verifySignatureHeader(rawBody, signatureHeader, secret, toleranceS, nowS);
  const parsed = IocExport.safeParse(JSON.parse(rawBody));
  if (!parsed.success) throw new SignatureVerificationError('The body is not an IOC export.');
  return parsed.data;
}
