/**
 * The exchange's Zalo ZNS templates: one per kind of notice, with typed parameters. A ZNS message
 * is a template approved by Zalo plus the values of its parameters (`template_data`); Zalo
 * assigns each approved template a numeric id, so the ids are configuration (ZALO_SSM_PATH in
 * AWS, the emulator's own ids locally), while the names, parameters and texts live here. The
 * texts below are the ones submitted for approval (README, "Notices by SMS or Zalo"); `<name>`
 * marks a parameter, as in Zalo's template editor.
 *
 * Every message keeps its SMS text: a template only says how the same notice reads on Zalo.
 */

/** Parameters of each template (all strings, as ZNS takes them; amounts already formatted). */
export interface TemplateParams {
  order_placed: { order_code: string; total: string };
  order_confirmed: { order_code: string; cooperative: string };
  order_packed: { order_code: string; cooperative: string };
  order_shipped: { order_code: string; carrier: string; tracking_number: string };
  order_delivered: { order_code: string };
  order_cancelled: { order_code: string; reason: string };
  order_new_for_cooperative: { order_code: string; packs: string; amount: string };
  cod_confirmation: { order_code: string; otp: string; minutes: string };
  preorder_update: { order_code: string; season: string; update: string };
  listing_decision: { product_name: string; decision: string; reason: string };
  sign_in_code: { otp: string };
}

export type TemplateName = keyof TemplateParams;

/** A message's Zalo form: which template, with which values. */
export type NoticeTemplate = { [N in TemplateName]: { name: N; params: TemplateParams[N] } }[TemplateName];

/** Builds a template reference with its parameters checked by the compiler. */
export function template<N extends TemplateName>(name: N, params: TemplateParams[N]): NoticeTemplate {
  return { name, params } as NoticeTemplate;
}

/**
 * The Vietnamese texts as registered with Zalo. ZNS limits a parameter's value by its type (30
 * characters for a code or label, 200 for a product name; zalo.cloud template rules), so values
 * are cut to fit in `templateData` below.
 */
export const TEMPLATE_TEXTS: Readonly<Record<TemplateName, string>> = {
  order_placed: 'Sàn OCOP Thái Nguyên: đơn <order_code> đã được đặt, tổng <total>.',
  order_confirmed: 'Sàn OCOP Thái Nguyên: <cooperative> đã xác nhận đơn <order_code>.',
  order_packed: 'Sàn OCOP Thái Nguyên: <cooperative> đã đóng gói đơn <order_code>.',
  order_shipped:
    'Sàn OCOP Thái Nguyên: đơn <order_code> đã giao cho <carrier>, mã vận đơn <tracking_number>.',
  order_delivered: 'Sàn OCOP Thái Nguyên: đơn <order_code> đã giao thành công. Cảm ơn bạn!',
  order_cancelled: 'Sàn OCOP Thái Nguyên: đơn <order_code> đã bị hủy (<reason>).',
  order_new_for_cooperative: 'Sàn OCOP Thái Nguyên: đơn mới <order_code>, <packs> gói, <amount>.',
  cod_confirmation:
    'Mã xác nhận đơn <order_code> (thanh toán khi nhận hàng): <otp>. Nhập mã trong <minutes> phút; không xác nhận, đơn sẽ tự hủy.',
  preorder_update: 'Sàn OCOP Thái Nguyên: đơn đặt trước <order_code> vụ <season>: <update>.',
  listing_decision: 'Sàn OCOP Thái Nguyên: sản phẩm <product_name> <decision>. Lý do: <reason>.',
  sign_in_code: 'Mã đăng nhập Sàn OCOP Thái Nguyên: <otp>. Mã có hiệu lực 5 phút, không chia sẻ cho ai.',
};

/** Each template's parameter names, in the order they appear in its text. */
export function templateParamNames(name: TemplateName): string[] {
  return [...TEMPLATE_TEXTS[name].matchAll(/<([a-z_]+)>/g)].map((m) => m[1]!);
}

const LIMITS: Partial<Record<string, number>> = { product_name: 200, update: 200, reason: 100 };

/** `template_data` for ZNS: every parameter as a string within its length limit. */
export function templateData(t: NoticeTemplate): Record<string, string> {
  return Object.fromEntries(
    Object.entries(t.params as Record<string, string>).map(([key, value]) => {
      const limit = LIMITS[key] ?? 30;
      const text = String(value);
      return [key, text.length > limit ? `${text.slice(0, limit - 1)}…` : text];
    }),
  );
}

/** The text a recipient reads: the template's text with its values filled in. */
export function renderTemplate(text: string, data: Readonly<Record<string, string>>): string {
  return text.replace(/<([a-z_]+)>/g, (whole, key: string) => data[key] ?? whole);
}
