/**
 * Seller notices by SMS (the dev inbox locally), on the same best-effort path as order notices
 * (shared/orders/notifications.ts): the household hears when a listing is approved or sent back,
 * with the reason and an absolute link to the listing in the seller center. A notice that cannot
 * be sent is logged, never fails the decision.
 */
import type { Producer } from '../domain/producer.ts';
import type { Product } from '../domain/product.ts';
import { optionalMessenger } from '../messaging/messenger.ts';
import { template } from '../messaging/templates.ts';
import { siteLink } from '../orders/notifications.ts';
import { log } from '../observability/log.ts';
import { config } from '../services.ts';

/** The listing's page in the seller center, absolute from the site's origin ('' without one). */
export function listingLink(siteUrl: string, productId: string): string {
  return siteLink(siteUrl, `/ban-hang/san-pham/#sp/${productId}/thong-tin`);
}

/** The SMS text for a review decision on a listing. */
export function listingDecisionText(
  siteUrl: string,
  product: Pick<Product, 'id' | 'name'>,
  decision: 'approve' | 'reject',
  reason?: string,
): string {
  const name = `“${product.name.vi}”`;
  const body =
    decision === 'approve'
      ? `sản phẩm ${name} đã được duyệt và đang bán trên sàn.`
      : `sản phẩm ${name} chưa được duyệt. Lý do: ${reason?.trim() || 'không ghi'}. Sửa rồi gửi duyệt lại.`;
  const link = listingLink(siteUrl, product.id);
  return `Sàn OCOP Thái Nguyên: ${body}${link ? ` Xem: ${link}` : ''}`;
}

export async function notifyListingDecision(
  seller: Pick<Producer, 'phone'>,
  product: Pick<Product, 'id' | 'name'>,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<void> {
  const messenger = optionalMessenger();
  if (!messenger) return;
  await messenger
    .send({
      to: seller.phone,
      kind: 'notification',
      // SITE_URL in AWS (required there), the local runtime's own origin locally.
      text: listingDecisionText(config().siteUrl ?? '', product, decision, reason),
      template: template('listing_decision', {
        product_name: product.name.vi,
        decision: decision === 'approve' ? 'đã được duyệt và đang bán trên sàn' : 'chưa được duyệt',
        reason: decision === 'approve' ? 'đạt yêu cầu' : reason?.trim() || 'không ghi',
      }),
    })
    .catch((error: unknown) => {
      log().warn('listing notice not sent', { error });
    });
}
