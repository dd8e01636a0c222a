/**
 * The admin's programme report (`getProgrammeReport`): households onboarded per commune per month
 * against the admin's target, listings awaiting review and their age, OCOP certificates expiring
 * within 60 days, and verified households with no sale in 90 days (to offer help). It names
 * households and their phones: admins only, never public.
 *
 * Nothing here scans. The stats stream worker (shared/db/stats.ts) keeps, besides the counters,
 * three small indexes from the same records (`programmeIndexOps` below, applied by
 * shared/db/programme.ts), each read with one Query of the byOwner index:
 *  - per household: its commune and the time of its last sale (an order placed — paid online or
 *    COD confirmed — with one of its lines), listed while it is verified, sorted by last sale, so
 *    "no sale since the cutoff" is the start of that list up to the cutoff;
 *  - per listing in review (any queue): since when, sorted by that time;
 *  - per verified certificate: its expiry date, sorted by it.
 * Every write is idempotent (the last sale only moves forward; the others follow the item's
 * latest image), so a retried stream batch changes nothing. Onboarding per commune and month is
 * the `onboarded` gauge of deltas.ts.
 */
import * as z from 'zod';
import { findCommune } from '../domain/admin-units.ts';
import { ocopExpiresOn } from '../domain/ocop.ts';
import { csvField } from '../orders/reports.ts';
import type { CounterRow } from './publish.ts';
import type { StatsLookups } from './deltas.ts';

/** Certificates expiring within this many days are listed (as the seller center warns). */
export const CERTIFICATE_WARNING_DAYS = 60;
/** Households whose last sale is older than this many days (or who never sold) are listed. */
export const NO_SALE_DAYS = 90;

type Item = Record<string, unknown>;

export type ProgrammeIndexOp =
  | { kind: 'household'; producerId: string; communeCode: string; verified: boolean }
  | { kind: 'sale'; producerId: string; at: string }
  | {
      kind: 'review';
      productId: string;
      inReview: boolean;
      name?: string;
      producerId?: string;
      since?: string;
    }
  | {
      kind: 'certificate';
      productId: string;
      certificateId: string;
      verified: boolean;
      stars?: number;
      decisionNumber?: string;
      expiresOn?: string;
    };

/** The index writes one stream record asks for (applied in the stream's order, idempotent). */
export function programmeIndexOps(
  oldImage: Item | undefined,
  newImage: Item | undefined,
  lookups: StatsLookups,
): ProgrammeIndexOp[] {
  const item = newImage ?? oldImage;
  if (!item) return [];
  switch (item.type) {
    case 'producer': {
      if (item.kind !== 'household') return [];
      const status = (newImage?.verification as { status?: string } | undefined)?.status;
      return [
        {
          kind: 'household',
          producerId: String(item.id),
          communeCode: String(
            (item.address as { communeCode?: string } | undefined)?.communeCode ?? 'unknown',
          ),
          verified: status === 'verified',
        },
      ];
    }
    case 'product': {
      const inReview = newImage?.status === 'in_review';
      return [
        {
          kind: 'review',
          productId: String(item.id),
          inReview,
          ...(inReview
            ? {
                name: String((newImage!.name as { vi?: string } | undefined)?.vi ?? ''),
                producerId: String(newImage!.producerId),
                since: String(newImage!.updatedAt ?? newImage!.createdAt),
              }
            : {}),
        },
      ];
    }
    case 'ocop': {
      const verified = newImage?.verified === true && typeof newImage.decisionDate === 'string';
      return [
        {
          kind: 'certificate',
          productId: String(item.productId),
          certificateId: String(item.id),
          verified,
          ...(verified
            ? {
                stars: Number(newImage!.stars),
                decisionNumber: String(newImage!.decisionNumber ?? ''),
                expiresOn: ocopExpiresOn(String(newImage!.decisionDate)),
              }
            : {}),
        },
      ];
    }
    case 'order': {
      const placed = Array.isArray(newImage?.history)
        ? (newImage.history as { status: string; at: string }[]).find((s) => s.status === 'placed')
        : undefined;
      if (!placed) return [];
      const lines = Array.isArray(newImage!.lines) ? (newImage!.lines as { producerId: string }[]) : [];
      const households = new Set(
        lines.map((l) => l.producerId).filter((id) => lookups.producers.get(id)?.kind === 'household'),
      );
      return [...households].sort().map((producerId) => ({ kind: 'sale', producerId, at: placed.at }));
    }
    default:
      return [];
  }
}

const CommuneCode = z
  .string()
  .regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số, ví dụ 01849 / A commune code has 5 digits');
const MonthlyTarget = z
  .int('Chỉ tiêu là số nguyên / A whole number')
  .min(0, 'Chỉ tiêu không được âm / Not negative')
  .max(10_000, 'Chỉ tiêu tối đa 10.000 hộ mỗi tháng / At most 10,000 a month');

export const ProgrammeTargets = z
  .strictObject({
    /** Households to onboard each month in a commune without a target of its own. */
    monthlyHouseholds: MonthlyTarget,
    communes: z
      .array(
        z.strictObject({
          code: CommuneCode.refine((code) => findCommune(code) !== undefined, {
            message: 'Không có xã với mã này (danh mục 2025) / No commune with this code',
          }),
          monthlyHouseholds: MonthlyTarget,
        }),
      )
      .max(200, 'Tối đa 200 xã / At most 200 communes')
      .refine((list) => new Set(list.map((c) => c.code)).size === list.length, {
        message: 'Mỗi xã chỉ ghi một lần / Each commune once',
      })
      .default([]),
  })
  .meta({ id: 'ProgrammeTargets' });
export type ProgrammeTargets = z.infer<typeof ProgrammeTargets>;

const OnboardingRow = z.strictObject({
  month: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  onboarded: z.int(),
  target: z.int().nullable(),
});
const ReviewRow = z.strictObject({
  productId: z.string(),
  name: z.string(),
  producerId: z.string(),
  producerName: z.string(),
  since: z.string(),
  ageDays: z.int(),
});
const CertificateRow = z.strictObject({
  productId: z.string(),
  productName: z.string(),
  certificateId: z.string(),
  stars: z.int(),
  decisionNumber: z.string(),
  expiresOn: z.string(),
  daysLeft: z.int(),
});
const HouseholdRow = z.strictObject({
  producerId: z.string(),
  name: z.string(),
  phone: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  lastSaleAt: z.string().nullable(),
  daysSinceSale: z.int().nullable(),
});

export const ProgrammeReport = z
  .strictObject({
    generatedAt: z.string(),
    targets: ProgrammeTargets.nullable(),
    onboarding: z.array(OnboardingRow),
    listingsAwaitingReview: z.array(ReviewRow),
    expiringCertificates: z.array(CertificateRow),
    householdsWithoutSale: z.array(HouseholdRow),
  })
  .meta({ id: 'ProgrammeReport' });
export type ProgrammeReport = z.infer<typeof ProgrammeReport>;

const days = (from: string, to: number) => Math.floor((to - Date.parse(from)) / 86_400_000);
const communeName = (code: string) => findCommune(code)?.commune.name ?? code;

export interface ProgrammeInputs {
  targets: ProgrammeTargets | undefined;
  onboarded: readonly CounterRow[];
  reviews: readonly { productId: string; name: string; producerId: string; since: string }[];
  certificates: readonly {
    productId: string;
    certificateId: string;
    stars: number;
    decisionNumber: string;
    expiresOn: string;
  }[];
  households: readonly { producerId: string; communeCode: string; lastSaleAt?: string }[];
  /** Names and phones of the producers named above, and the listings' names. */
  producers: ReadonlyMap<string, { name: string; phone: string }>;
  products: ReadonlyMap<string, { name: string }>;
}

/** The target of a commune: its own, or the default; null when no target was set. */
export function targetOf(targets: ProgrammeTargets | undefined, communeCode: string): number | null {
  if (!targets) return null;
  return targets.communes.find((c) => c.code === communeCode)?.monthlyHouseholds ?? targets.monthlyHouseholds;
}

export function programmeReport(inputs: ProgrammeInputs, now: number): ProgrammeReport {
  const onboarding = inputs.onboarded
    .map((row) => {
      const [month = '', communeCode = ''] = row.bucket.split('#');
      return {
        month,
        communeCode,
        communeName: communeName(communeCode),
        onboarded: row.values.n ?? 0,
        target: targetOf(inputs.targets, communeCode),
      };
    })
    .filter((r) => r.onboarded > 0)
    .sort((a, b) => b.month.localeCompare(a.month) || a.communeName.localeCompare(b.communeName, 'vi'));
  const today = new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
  return {
    generatedAt: new Date(now).toISOString(),
    targets: inputs.targets ?? null,
    onboarding,
    listingsAwaitingReview: inputs.reviews
      .map((r) => ({
        productId: r.productId,
        name: r.name,
        producerId: r.producerId,
        producerName: inputs.producers.get(r.producerId)?.name ?? r.producerId,
        since: r.since,
        ageDays: days(r.since, now),
      }))
      .sort((a, b) => b.ageDays - a.ageDays),
    expiringCertificates: inputs.certificates
      .map((c) => ({
        productId: c.productId,
        productName: inputs.products.get(c.productId)?.name ?? c.productId,
        certificateId: c.certificateId,
        stars: c.stars,
        decisionNumber: c.decisionNumber,
        expiresOn: c.expiresOn,
        daysLeft: Math.round((Date.parse(c.expiresOn) - Date.parse(today)) / 86_400_000),
      }))
      .sort((a, b) => a.daysLeft - b.daysLeft),
    householdsWithoutSale: inputs.households
      .map((h) => ({
        producerId: h.producerId,
        name: inputs.producers.get(h.producerId)?.name ?? h.producerId,
        phone: inputs.producers.get(h.producerId)?.phone ?? '',
        communeCode: h.communeCode,
        communeName: communeName(h.communeCode),
        lastSaleAt: h.lastSaleAt ?? null,
        daysSinceSale: h.lastSaleAt ? days(h.lastSaleAt, now) : null,
      }))
      .sort(
        (a, b) =>
          (a.lastSaleAt ?? '').localeCompare(b.lastSaleAt ?? '') ||
          a.communeName.localeCompare(b.communeName, 'vi') ||
          a.name.localeCompare(b.name, 'vi'),
      ),
  };
}

export const PROGRAMME_CSV_HEADER = [
  'section',
  'id',
  'name',
  'phone',
  'commune_code',
  'commune',
  'detail',
  'month_or_date',
  'count',
  'target',
  'days',
] as const;

/**
 * The report as one CSV (RFC 4180, UTF-8 with BOM for spreadsheet programs, CRLF), a row per line
 * of each table, `section` saying which: `onboarding` (count = households onboarded that month,
 * target), `review` (detail = the seller, days = age), `certificate` (detail = the decision
 * number, count = stars, days = days left), `no_sale`
 * (month_or_date = last sale, empty if never; days since it).
 */
export function programmeCsv(report: ProgrammeReport): string {
  const rows: (string | number)[][] = [[...PROGRAMME_CSV_HEADER]];
  const n = (value: number | null) => (value === null ? '' : value);
  for (const r of report.onboarding)
    rows.push([
      'onboarding',
      r.communeCode,
      '',
      '',
      r.communeCode,
      r.communeName,
      '',
      r.month,
      r.onboarded,
      n(r.target),
      '',
    ]);
  for (const r of report.listingsAwaitingReview)
    rows.push([
      'review',
      r.productId,
      r.name,
      '',
      '',
      '',
      r.producerName,
      r.since.slice(0, 10),
      '',
      '',
      r.ageDays,
    ]);
  for (const r of report.expiringCertificates)
    rows.push([
      'certificate',
      r.certificateId,
      r.productName,
      '',
      '',
      '',
      r.decisionNumber,
      r.expiresOn,
      r.stars,
      '',
      r.daysLeft,
    ]);
  for (const r of report.householdsWithoutSale)
    rows.push([
      'no_sale',
      r.producerId,
      r.name,
      r.phone,
      r.communeCode,
      r.communeName,
      '',
      r.lastSaleAt?.slice(0, 10) ?? '',
      '',
      '',
      n(r.daysSinceSale),
    ]);
  return '\uFEFF' + rows.map((row) => row.map((v) => csvField(v)).join(',')).join('\r\n') + '\r\n';
}
