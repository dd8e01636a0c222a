/**
 * The demo's pre-orders: HTX Chè Tân Cương Xanh opens a spring-tea window for its member's
 * premium dinh tea (prd-001, Hộ Nguyễn Văn Thành), open from the day of seeding for 30 days,
 * harvest expected 35–60 days later: two packs (about 100 g ±10 % weighed at packing, and a
 * fixed 200 g), 40 kg in total, 20 kg per member household, a 30 % deposit, 3 days' grace.
 */
import { producers } from '../../../shared/db/producers.ts';
import { createPreorderWindow } from '../../../shared/preorders/windows.ts';
import { vnDay } from '../../../shared/orders/reports.ts';

const DAY = 86_400_000;

export async function seedDemoPreorders(now = new Date()): Promise<number> {
  const coop = await producers.get('htx-tan-cuong-xanh');
  if (!coop) return 0;
  const on = (days: number) => vnDay(new Date(now.getTime() + days * DAY));
  await createPreorderWindow(
    {
      sub: 'demo-htx-tan-cuong-xanh',
      phone: coop.phone,
      groups: ['producer', 'coop_manager'],
      producer: coop,
    },
    coop.id,
    {
      productId: 'prd-001',
      season: `Chè xuân ${new Date(now.getTime() + 35 * DAY).getUTCFullYear()} — vụ đầu`,
      opensOn: on(0),
      closesOn: on(30),
      harvestFrom: on(35),
      harvestTo: on(60),
      packs: [
        { grams: 100, price: 450_000, tolerancePercent: 10 },
        { grams: 200, price: 880_000 },
      ],
      totalKg: 40,
      quotaKg: 20,
      depositPercent: 30,
      graceDays: 3,
    },
    now,
  );
  return 1;
}
