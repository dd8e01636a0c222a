/**
 * /hop-tac-xa/giao-hang/: the cooperative's delivery settings (GET and PUT
 * /api/board/{id}/shipping, `ShippingRules`): its carrier and shop id there, or its own delivery
 * at flat fees; the free threshold; pickup. The shop id field shows only with a carrier.
 */
import { api, enc, type FieldIssue } from './api.ts';
import { byId, notice, show } from './dom.ts';
import { runSubmit } from './forms.ts';
import { requireManager } from './orders-common.ts';
import type { Schema } from '../api-contract.ts';

type Rules = Schema<'ShippingRules'>;
type CarrierChoice = 'manual' | 'ghn' | 'ghtk' | 'viettelpost';

const wholeVnd = (text: string) => (/^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : NaN);

export async function startShippingSettings(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  const path = `/api/board/${enc(coop.cooperativeId)}/shipping`;
  const form = byId<HTMLFormElement>('ship-form');
  const status = byId('ship-status');
  const shop = byId('ship-shop');
  const input = (id: string) => byId<HTMLInputElement>(id);
  const carrierOf = () =>
    (form.querySelector<HTMLInputElement>('input[name=carrierId]:checked')?.value ??
      'manual') as CarrierChoice;
  const toggleShop = () => show(shop, carrierOf() !== 'manual');

  const fill = (rules: Rules) => {
    const carrier: CarrierChoice = rules.carrier?.id ?? 'manual';
    form.querySelector<HTMLInputElement>(`input[name=carrierId][value=${carrier}]`)!.checked = true;
    input('ship-shop-id').value = rules.carrier?.shopId ?? '';
    input('ship-fee-in').value = String(rules.flatFee.in_province);
    input('ship-fee-north').value = String(rules.flatFee.north);
    input('ship-fee-else').value = String(rules.flatFee.elsewhere);
    input('ship-free').value = rules.freeAbove === null ? '' : String(rules.freeAbove);
    input('ship-pickup').checked = rules.pickup;
    toggleShop();
  };

  try {
    fill((await api<{ rules: Rules; custom: boolean }>(path)).rules);
  } catch (error) {
    notice(byId('page-error'), (error as Error).message, 'error');
    show(byId('page-error'));
    return;
  }
  show(byId('ship'));
  form.addEventListener('change', (event) => {
    if ((event.target as HTMLInputElement).name === 'carrierId') toggleShop();
  });

  const read = (): { rules: Rules; issues: FieldIssue[] } => {
    const issues: FieldIssue[] = [];
    const fee = (id: string, name: string) => {
      const n = wholeVnd(input(id).value);
      if (Number.isNaN(n))
        issues.push({ path: name, message: 'Nhập số đồng, không dấu chấm (ví dụ 20000).' });
      return n;
    };
    const flatFee = {
      in_province: fee('ship-fee-in', 'flatFee.in_province'),
      north: fee('ship-fee-north', 'flatFee.north'),
      elsewhere: fee('ship-fee-else', 'flatFee.elsewhere'),
    };
    const freeText = input('ship-free').value.trim();
    const freeAbove = freeText ? fee('ship-free', 'freeAbove') : null;
    const carrier = carrierOf();
    const shopId = input('ship-shop-id').value.trim();
    if (shopId.length > 40) issues.push({ path: 'carrier.shopId', message: 'Mã cửa hàng tối đa 40 ký tự.' });
    if (carrier === 'ghn' && !shopId)
      issues.push({
        path: 'carrier.shopId',
        message: 'GHN cần mã cửa hàng (Shop ID) để tính phí và tạo đơn.',
      });
    return {
      rules: {
        flatFee,
        freeAbove,
        pickup: input('ship-pickup').checked,
        ...(carrier === 'manual' ? {} : { carrier: { id: carrier, ...(shopId ? { shopId } : {}) } }),
      },
      issues,
    };
  };

  const save = byId<HTMLButtonElement>('ship-save');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void runSubmit(
      form,
      save,
      () => read().issues,
      async () => {
        const saved = await api<{ rules: Rules; custom: boolean }>(path, {
          method: 'PUT',
          body: read().rules,
        });
        fill(saved.rules);
        notice(status, 'Đã lưu. Đơn đặt từ bây giờ tính phí giao theo cài đặt này.', 'ok');
        show(status);
      },
      'Đang lưu…',
    );
  });
}
