/**
 * Demo reviews: a few delivered orders of the demo cooperatives' own products, each reviewed by
 * its buyer, so the storefront shows ratings, "đã bán" counts and reviews (one with the
 * cooperative's reply). Written through the same storage functions as the API: the order and its
 * units sold in one transaction, the review with its line claim and the rating in another; a
 * second run changes nothing (every write is conditional on its key being new).
 */
import { putOrder, putSubOrder } from '../../../shared/db/orders.ts';
import { soldUpdates } from '../../../shared/db/product-stats.ts';
import { transactWrite } from '../../../shared/db/retry.ts';
import { reviews } from '../../../shared/db/reviews.ts';
import { packLabel } from '../../../shared/domain/product.ts';
import type { Order, OrderLine, SubOrder } from '../../../shared/orders/model.ts';
import { reviewAuthor, seasonOf, type Review } from '../../../shared/reviews/model.ts';
import { demoListings, demoProducers } from './demo-data.ts';

const BUYERS = [
  { name: 'Nguyễn Thị Lan', phone: '+84987100001', provinceCode: '01', wardCode: '00004' },
  { name: 'Trần Minh Đức', phone: '+84987100002', provinceCode: '79', wardCode: '25747' },
  { name: 'Lê Thu Hà', phone: '+84987100003', provinceCode: '31', wardCode: '11311' },
];

const REVIEWS: { stars: number; text: string; reply?: string }[] = [
  {
    stars: 5,
    text: 'Chè thơm cốm, nước xanh trong, pha ba nước vẫn còn ngọt hậu. Gói hàng cẩn thận.',
    reply: 'Cảm ơn chị Lan đã tin dùng chè của hợp tác xã!',
  },
  { stars: 4, text: 'Chè ngon, giao hàng nhanh. Mong có thêm gói nhỏ để dùng thử.' },
  { stars: 5, text: 'Mua làm quà biếu, người nhận rất thích. Sẽ mua lại vụ sau.' },
];

/** The demo products that have reviews (the cooperatives' own listings, first three). */
export const DEMO_REVIEWED_PRODUCT_IDS: readonly string[] = demoListings
  .filter((l) => demoProducers.find((p) => p.id === l.product.producerId)?.kind === 'cooperative')
  .slice(0, REVIEWS.length)
  .map((l) => l.product.id);

export async function seedDemoReviews(now = new Date()): Promise<number> {
  let written = 0;
  for (const [i, productId] of DEMO_REVIEWED_PRODUCT_IDS.entries()) {
    const listing = demoListings.find((l) => l.product.id === productId)!;
    const seller = demoProducers.find((p) => p.id === listing.product.producerId)!;
    const pack = listing.variants[0]!;
    const buyer = BUYERS[i % BUYERS.length]!;
    // Placed more than 9 weeks ago: out of the board's weekly sales (8 weeks) and its default
    // settlement week, which show only what the demo shopper does.
    const placedAt = new Date(now.getTime() - (70 + i * 3) * 86_400_000).toISOString();
    const deliveredAt = new Date(Date.parse(placedAt) + 3 * 86_400_000).toISOString();
    const code = `TN-DEMX${'23456789'[i]}`;
    const quantity = 2 + i;
    const line: OrderLine = {
      variantId: pack.id,
      productId,
      productSlug: listing.product.slug,
      productName: listing.product.name.vi,
      pack: packLabel(pack),
      ...(pack.grams !== undefined ? { grams: pack.grams } : {}),
      producerId: seller.id,
      producerName: seller.name,
      unitPrice: pack.price,
      quantity,
      lineTotal: pack.price * quantity,
    };
    const history = [
      { status: 'placed' as const, at: placedAt, by: 'demo' },
      { status: 'delivered' as const, at: deliveredAt, by: 'demo' },
    ];
    const order: Order = {
      code,
      status: 'delivered',
      contact: { name: buyer.name, phone: buyer.phone },
      delivery: {
        method: 'shipping',
        address: { provinceCode: buyer.provinceCode, wardCode: buyer.wardCode, street: 'Địa chỉ mẫu' },
      },
      paymentMethod: 'cod',
      paymentIntentId: `pi_demo_${i}`,
      itemsTotal: line.lineTotal,
      shippingTotal: 0,
      total: line.lineTotal,
      lines: [line],
      fulfillerIds: [seller.id],
      history,
      createdAt: placedAt,
      version: 1,
    };
    const sub: SubOrder = {
      orderCode: code,
      fulfillerId: seller.id,
      fulfillerName: seller.name,
      status: 'delivered',
      lines: [line],
      subtotal: line.lineTotal,
      shippingFee: 0,
      cashCollected: true,
      history,
      createdAt: placedAt,
      version: 1,
    };
    await transactWrite([putOrder(order, 'new'), putSubOrder(sub, 'new'), ...soldUpdates([line])]).catch(
      (error: unknown) => {
        if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
      },
    );
    const spec = REVIEWS[i]!;
    const review: Review = {
      id: `rev-demo-${i + 1}`,
      productId,
      sellerId: seller.id,
      fulfillerId: seller.id,
      orderCode: code,
      variantId: pack.id,
      stars: spec.stars,
      text: spec.text,
      photos: [],
      pack: line.pack,
      season: seasonOf(placedAt),
      author: reviewAuthor(order),
      createdAt: new Date(Date.parse(deliveredAt) + 86_400_000).toISOString(),
    };
    if (await reviews.create(review)) {
      written++;
      if (spec.reply)
        await reviews.reply(review.id, {
          text: spec.reply,
          at: new Date(Date.parse(review.createdAt) + 3_600_000).toISOString(),
          by: 'demo',
          name: seller.name,
        });
    }
  }
  return written;
}
