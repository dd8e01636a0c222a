/**
 * Pre-orders (order cycles): a cooperative (or an independent household) opens a window for a
 * product and season; shoppers reserve packs with a deposit; after the harvest the manager
 * allocates each member household's actual picking, first reserved first served; packs sold at an
 * estimated weight are weighed at packing and the balance is paid at dispatch (online) or on
 * delivery (COD). Pure: no database, no clock (callers pass `now`).
 *
 * A reservation is an order (orders/model.ts) with a `preorder` field: the board, tracking, notices,
 * payments and reports work on it as on any order. Quantities are held in grams against the
 * window's total and one household's quota.
 */
import * as z from 'zod';
import { Text } from '../domain/common.ts';
import { DeliveryAddress } from '../orders/model.ts';
import { PhoneNumber } from '../domain/common.ts';

/** Bounds of a window's deposit share, whole percent. */
export const DEPOSIT_PERCENT = { min: 10, max: 100 } as const;
/** Bounds of the grace period for the balance, whole days. */
export const GRACE_DAYS = { min: 1, max: 14 } as const;
/** Bounds of a variable-weight pack's tolerance, whole percent. */
export const TOLERANCE_PERCENT = { min: 1, max: 20 } as const;
/** A window's packs and a reservation's lines. */
export const PREORDER_LIMITS = {
  packs: 6,
  reservationLines: 6,
  quantityPerLine: 50,
  households: 60,
} as const;

/**
 * The deposit rule when the online balance is not paid within the grace period: the reservation
 * is cancelled, the cooperative keeps the deposit up to this share of the final amount, and the
 * rest of the deposit is refunded automatically through the provider that took it. Shown to the
 * shopper before paying (`depositRuleText`).
 */
export const KEPT_ON_LAPSE_PERCENT = 30;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const IsoDay = z
  .string()
  .regex(DAY, 'Ngày có dạng YYYY-MM-DD / Dates look like 2027-03-15')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'Ngày không tồn tại / No such date',
    },
  );

export const PreorderPackInput = z.strictObject({
  grams: z
    .int('Khối lượng gói là số gam nguyên / Pack weight in whole grams')
    .min(50, 'Gói ít nhất 50 g / At least 50 g')
    .max(5000, 'Gói tối đa 5 kg / At most 5 kg'),
  price: z
    .int('Giá là số đồng nguyên / Whole VND')
    .min(1000, 'Giá ít nhất 1.000 ₫ / At least 1,000 ₫')
    .max(50_000_000, 'Giá tối đa 50.000.000 ₫ / At most 50,000,000 ₫'),
  /** Sold at an estimated weight ("khoảng 500 g"), weighed at packing within this tolerance. */
  tolerancePercent: z
    .int()
    .min(TOLERANCE_PERCENT.min, `Dung sai từ ${TOLERANCE_PERCENT.min}% / At least ${TOLERANCE_PERCENT.min} %`)
    .max(
      TOLERANCE_PERCENT.max,
      `Dung sai tối đa ${TOLERANCE_PERCENT.max}% / At most ${TOLERANCE_PERCENT.max} %`,
    )
    .optional(),
});

export const CreatePreorderWindowBody = z
  .strictObject({
    productId: z.string().min(1).max(64),
    /** "Chè xuân 2027 — vụ đầu". */
    season: Text(80),
    opensOn: IsoDay,
    closesOn: IsoDay,
    harvestFrom: IsoDay,
    harvestTo: IsoDay,
    packs: z
      .array(PreorderPackInput)
      .min(1, 'Hãy nhập ít nhất một gói / At least one pack')
      .max(
        PREORDER_LIMITS.packs,
        `Tối đa ${PREORDER_LIMITS.packs} gói / At most ${PREORDER_LIMITS.packs} packs`,
      ),
    totalKg: z.int('Tổng sản lượng là số kg nguyên / Whole kg').min(1).max(100_000),
    /** Each member household's quota (the independent household's window: its own). */
    quotaKg: z.int('Hạn mức là số kg nguyên / Whole kg').min(1).max(100_000),
    /** The member households that pick for this window; default every approved member. */
    householdIds: z.array(z.string().min(1).max(64)).min(1).max(PREORDER_LIMITS.households).optional(),
    depositPercent: z
      .int('Tỷ lệ đặt cọc là số phần trăm nguyên / Whole percent')
      .min(DEPOSIT_PERCENT.min, `Đặt cọc ít nhất ${DEPOSIT_PERCENT.min}% / At least ${DEPOSIT_PERCENT.min} %`)
      .max(DEPOSIT_PERCENT.max, `Đặt cọc tối đa ${DEPOSIT_PERCENT.max}% / At most ${DEPOSIT_PERCENT.max} %`),
    graceDays: z
      .int('Số ngày là số nguyên / Whole days')
      .min(GRACE_DAYS.min, `Ít nhất ${GRACE_DAYS.min} ngày / At least ${GRACE_DAYS.min} day`)
      .max(GRACE_DAYS.max, `Tối đa ${GRACE_DAYS.max} ngày / At most ${GRACE_DAYS.max} days`),
  })
  .superRefine((b, ctx) => {
    const order: [keyof typeof b, keyof typeof b, string][] = [
      ['opensOn', 'closesOn', 'Ngày đóng phải sau ngày mở / The window closes after it opens'],
      ['closesOn', 'harvestFrom', 'Thu hái sau khi đóng đặt trước / Harvest starts after the window closes'],
      ['harvestFrom', 'harvestTo', 'Ngày cuối thu hái không trước ngày đầu / Harvest ends after it starts'],
    ];
    for (const [a, later, message] of order) {
      const strict = a === 'opensOn';
      const before = String(b[a]);
      const after = String(b[later]);
      if (strict ? !(before < after) : !(before <= after))
        ctx.addIssue({ code: 'custom', path: [later], message });
    }
    if (b.quotaKg > b.totalKg) {
      ctx.addIssue({
        code: 'custom',
        path: ['quotaKg'],
        message: 'Hạn mức mỗi hộ không lớn hơn tổng sản lượng / A quota cannot exceed the total',
      });
    }
    const grams = b.packs.map((p) => p.grams);
    if (new Set(grams).size !== grams.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['packs'],
        message: 'Mỗi khối lượng gói một lần / List each pack once',
      });
    }
    if (b.householdIds && new Set(b.householdIds).size !== b.householdIds.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['householdIds'],
        message: 'Mỗi hộ một lần / List each household once',
      });
    }
  })
  .meta({ id: 'CreatePreorderWindowBody' });
export type CreatePreorderWindowBody = z.infer<typeof CreatePreorderWindowBody>;

export const ReservePreorderBody = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          packId: z.string().regex(/^p[1-9]$/, 'Mã gói có dạng p1 / Pack ids look like p1'),
          quantity: z
            .int('Số lượng phải là số nguyên / Whole packs')
            .min(1, 'Số lượng ít nhất là 1 / At least 1')
            .max(PREORDER_LIMITS.quantityPerLine, `Mỗi dòng tối đa ${PREORDER_LIMITS.quantityPerLine} gói`),
        }),
      )
      .min(1, 'Hãy chọn ít nhất một gói / Choose a pack')
      .max(PREORDER_LIMITS.reservationLines)
      .refine((lines) => new Set(lines.map((l) => l.packId)).size === lines.length, {
        message: 'Mỗi gói chỉ xuất hiện một lần; hãy gộp số lượng / List each pack once',
      }),
    contact: z.strictObject({ name: Text(100), phone: PhoneNumber }),
    delivery: z.discriminatedUnion('method', [
      z.strictObject({ method: z.literal('shipping'), address: DeliveryAddress }),
      z.strictObject({ method: z.literal('pickup') }),
    ]),
    /** How the deposit is paid: online only (COD is refused with a message, not by the schema). */
    paymentMethod: z.enum(['vnpay', 'vietqr', 'cod']),
    /** How the balance will be paid: online at dispatch, or cash on delivery. */
    balanceMethod: z.enum(['online', 'cod']),
    note: Text(500).optional(),
    locale: z.enum(['vi', 'en']).optional(),
  })
  .meta({ id: 'ReservePreorderBody' });
export type ReservePreorderBody = z.infer<typeof ReservePreorderBody>;

export const AllocatePreorderBody = z
  .strictObject({
    /** Each member household's actual picking for this window, whole grams. */
    pickings: z
      .array(
        z.strictObject({
          householdId: z.string().min(1).max(64),
          grams: z.int('Sản lượng là số gam nguyên / Whole grams').min(0).max(100_000_000),
        }),
      )
      .min(1)
      .max(PREORDER_LIMITS.households)
      .refine((p) => new Set(p.map((x) => x.householdId)).size === p.length, {
        message: 'Mỗi hộ một lần / List each household once',
      }),
  })
  .meta({ id: 'AllocatePreorderBody' });
export type AllocatePreorderBody = z.infer<typeof AllocatePreorderBody>;

export const SettlePreorderWeightBody = z
  .strictObject({
    /** The final weight of each line, all its packs together, whole grams. */
    lines: z
      .array(
        z.strictObject({
          packId: z.string().regex(/^p[1-9]$/, 'Mã gói có dạng p1 / Pack ids look like p1'),
          grams: z.int('Khối lượng là số gam nguyên / Whole grams').min(1).max(1_000_000),
        }),
      )
      .min(1)
      .max(PREORDER_LIMITS.reservationLines),
  })
  .meta({ id: 'SettlePreorderWeightBody' });
export type SettlePreorderWeightBody = z.infer<typeof SettlePreorderWeightBody>;

export interface PreorderPack {
  /** `p1`, `p2`… in the order given. */
  id: string;
  grams: number;
  price: number;
  tolerancePercent?: number;
}

export interface PreorderHousehold {
  producerId: string;
  name: string;
  quotaGrams: number;
}

export interface PreorderWindow {
  id: string;
  productId: string;
  productSlug: string;
  productName: string;
  /** The cooperative (or independent producer) that fulfils the reservations. */
  fulfillerId: string;
  fulfillerName: string;
  season: string;
  opensOn: string;
  closesOn: string;
  harvestFrom: string;
  harvestTo: string;
  packs: PreorderPack[];
  totalGrams: number;
  households: PreorderHousehold[];
  depositPercent: number;
  graceDays: number;
  keptOnLapsePercent: number;
  createdAt: string;
  createdBy: string;
  /** Set once the manager has allocated the harvest (allocate.ts). */
  allocatedAt?: string;
}

/** What is held against a window: grams left of the total and of each household's quota. */
export interface PreorderHolds {
  leftGrams: number;
  /** Packs reserved so far, by pack id (live reservations). */
  packCounts: Record<string, number>;
  households: Record<string, number>;
}

/** The reservation state an order carries (`Order.preorder`, and on its sub-order). */
export interface PreorderState {
  windowId: string;
  season: string;
  householdId: string;
  householdName: string;
  /** Grams held against the window and the household. */
  grams: number;
  /** Packs held, by pack id. */
  packs: Record<string, number>;
  depositPercent: number;
  deposit: number;
  balanceMethod: 'online' | 'cod';
  graceDays: number;
  keptOnLapsePercent: number;
  harvestFrom: string;
  harvestTo: string;
  /** After allocation: the packs delivered and the deposit refunded for the rest. */
  allocation?: {
    at: string;
    packs: Record<string, number>;
    shortGrams: number;
    refunded: number;
    /** The deposit was paid after the window was allocated: cancelled, the deposit refunded. */
    late?: boolean;
  };
  /** After weighing: the final amount, the balance and how it stands. */
  settlement?: {
    at: string;
    finalAmount: number;
    balance: number;
    dueBy?: string;
    /** A second payment for an online balance (or the COD one collected on delivery). */
    intentId?: string;
    status: 'due' | 'paid' | 'lapsed' | 'none';
    /** The final weight of each line, grams, by pack id. */
    weights?: Record<string, number>;
    /** What went back of the deposit at settling: paid above the final amount, or on lapsing. */
    refunded?: number;
    paidAt?: string;
  };
}

/** Window times: a window opens at 00:00 and closes at 24:00 of its dates, Vietnam time (UTC+7). */
export const startOfDay = (day: string) => Date.parse(`${day}T00:00:00+07:00`);
export const endOfDay = (day: string) => startOfDay(day) + 86_400_000;

export type WindowPhase = 'upcoming' | 'open' | 'closed' | 'allocated';

export function windowPhase(
  window: Pick<PreorderWindow, 'opensOn' | 'closesOn' | 'allocatedAt'>,
  now: Date,
): WindowPhase {
  if (window.allocatedAt) return 'allocated';
  const t = now.getTime();
  if (t < startOfDay(window.opensOn)) return 'upcoming';
  if (t < endOfDay(window.closesOn)) return 'open';
  return 'closed';
}

/** A pack as the order line names it: "khoảng 500 g (±10%)" when weighed at packing. */
export function packName(pack: Pick<PreorderPack, 'grams' | 'tolerancePercent'>): string {
  const weight =
    pack.grams >= 1000 && pack.grams % 1000 === 0 ? `${pack.grams / 1000} kg` : `${pack.grams} g`;
  return pack.tolerancePercent === undefined ? weight : `khoảng ${weight} (±${pack.tolerancePercent}%)`;
}

/** The deposit of an amount, rounded up to the đồng. */
export const depositOf = (amount: number, percent: number) => Math.ceil((amount * percent) / 100);

/** What the cooperative keeps of the deposit when the balance lapses; the rest goes back. */
export const keptOnLapse = (deposit: number, finalAmount: number, percent = KEPT_ON_LAPSE_PERCENT) =>
  Math.min(deposit, Math.floor((finalAmount * percent) / 100));

/** The rule as shown to the shopper before paying (Vietnamese and English). */
export function depositRuleText(graceDays: number, percent = KEPT_ON_LAPSE_PERCENT) {
  return {
    vi: `Nếu không thanh toán phần còn lại trong ${graceDays} ngày sau khi được báo, đơn đặt trước bị hủy; hợp tác xã giữ tiền cọc nhưng không quá ${percent}% giá trị cuối cùng, phần cọc còn lại được hoàn tự động. Nếu thiếu hàng, phần cọc của số hàng không giao được hoàn tự động.`,
    en: `If the balance is not paid within ${graceDays} days of the notice, the pre-order is cancelled; the cooperative keeps the deposit up to ${percent}% of the final amount and refunds the rest automatically. If the harvest falls short, the deposit for what is not delivered is refunded automatically.`,
  };
}

/**
 * A variable-weight line's price from its final weight: heavier than estimated is charged up to
 * the tolerance and no more (the rest is the cooperative's); lighter is charged for the weight
 * delivered. Fixed-weight lines keep their price.
 */
export function weighedPrice(
  line: { estimatedGrams: number; amount: number; tolerancePercent?: number },
  finalGrams: number,
): number {
  if (line.tolerancePercent === undefined) return line.amount;
  const capped = Math.min(finalGrams, (line.estimatedGrams * (100 + line.tolerancePercent)) / 100);
  return Math.round((line.amount * capped) / line.estimatedGrams);
}

export interface AllocationInput {
  code: string;
  householdId: string;
  /** When it was reserved; ties by code. */
  reservedAt: string;
  /** Packs reserved, in the reservation's line order: id, grams each, quantity. */
  lines: { packId: string; grams: number; quantity: number }[];
}

export interface AllocationResult {
  code: string;
  packs: Record<string, number>;
  shortGrams: number;
}

/**
 * First reserved, first served: each household's picking goes to its reservations in the order
 * they were made (ties by code). A reservation that does not fit whole gets the packs that still
 * fit, line by line; what is left after it (less than one of its packs) may still serve a later
 * reservation of smaller packs. An earlier reservation is never cut for a later one.
 */
export function allocate(reservations: AllocationInput[], pickings: Map<string, number>): AllocationResult[] {
  const left = new Map(pickings);
  const ordered = [...reservations].sort((a, b) =>
    a.reservedAt === b.reservedAt ? a.code.localeCompare(b.code) : a.reservedAt.localeCompare(b.reservedAt),
  );
  const out: AllocationResult[] = [];
  for (const r of ordered) {
    let available = left.get(r.householdId) ?? 0;
    const packs: Record<string, number> = {};
    let short = 0;
    for (const line of r.lines) {
      const fit = Math.min(line.quantity, Math.floor(available / line.grams));
      packs[line.packId] = fit;
      available -= fit * line.grams;
      short += (line.quantity - fit) * line.grams;
    }
    left.set(r.householdId, available);
    out.push({ code: r.code, packs, shortGrams: short });
  }
  return out;
}
