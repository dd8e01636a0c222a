/** Words for statuses, kinds and audit actions on the seller pages (Vietnamese only). */
import { formatVnd } from '../../../shared/domain/money.ts';
import { h } from './dom.ts';
import type { ProductStatus } from './types.ts';

export { formatVnd };

export const PRODUCT_STATUS: Record<ProductStatus, { vi: string; tone: string }> = {
  draft: { vi: 'Nháp', tone: 'draft' },
  in_review: { vi: 'Chờ duyệt', tone: 'review' },
  published: { vi: 'Đang bán', tone: 'ok' },
  archived: { vi: 'Lưu trữ', tone: 'muted' },
};

export const VERIFICATION: Record<string, { vi: string; tone: string }> = {
  pending: { vi: 'Chờ xác minh', tone: 'review' },
  verified: { vi: 'Đã xác minh', tone: 'ok' },
  rejected: { vi: 'Bị từ chối', tone: 'bad' },
};

export const MEMBERSHIP: Record<string, { vi: string; tone: string }> = {
  requested: { vi: 'Chờ hợp tác xã duyệt', tone: 'review' },
  approved: { vi: 'Đã là thành viên', tone: 'ok' },
  rejected: { vi: 'Bị từ chối', tone: 'bad' },
};

export const KIND: Record<string, { vi: string }> = {
  household: { vi: 'Hộ sản xuất' },
  cooperative: { vi: 'Hợp tác xã' },
  enterprise: { vi: 'Doanh nghiệp' },
};

export const ROLE: Record<string, string> = {
  self: 'Bạn (chủ hộ)',
  cooperative_manager: 'Quản lý hợp tác xã',
  admin: 'Quản trị viên sàn',
  system: 'Hệ thống',
};

export const ACTION: Record<string, string> = {
  'producer.signed_up': 'Đăng ký nhà sản xuất',
  'producer.verified': 'Được xác minh',
  'producer.rejected': 'Bị từ chối xác minh',
  'membership.requested': 'Xin gia nhập hợp tác xã',
  'membership.approved': 'Được nhận vào hợp tác xã',
  'membership.rejected': 'Bị từ chối gia nhập',
  'product.created': 'Tạo sản phẩm',
  'product.created_on_behalf': 'HTX đăng sản phẩm thay (có mã đồng ý)',
  'product.updated': 'Sửa sản phẩm',
  'product.submitted': 'Gửi duyệt',
  'product.approved': 'Sản phẩm được duyệt',
  'product.rejected': 'Sản phẩm bị từ chối',
  'product.archived': 'Lưu trữ sản phẩm',
  'stock.adjusted': 'Điều chỉnh kho',
  'photo.added': 'Thêm ảnh',
  'lot.created': 'Tạo lô hàng',
  'ocop.added': 'Thêm chứng nhận OCOP',
  'ocop.verified': 'Chứng nhận OCOP được xác minh',
  'ocop.rejected': 'Chứng nhận OCOP bị từ chối',
  'consent.given': 'Đồng ý cho HTX đăng thay',
  'reference_prices.set': 'Đặt giá tham chiếu',
};

export function actionLabel(action: string): string {
  return ACTION[action] ?? action;
}

/** A coloured status chip: text, not colour alone, carries the meaning. */
export function chip(label: { vi: string; tone: string } | undefined, fallback = ''): HTMLElement {
  if (!label) return h('span', { class: 'chip-status' }, fallback);
  return h('span', { class: `chip-status chip-status--${label.tone}` }, label.vi);
}

/** A processed photo's rendition (see mediaPath in shared/domain/catalog-view.ts). */
export function mediaUrl(key: string, width: 320 | 640 | 1280 = 320): string {
  return `/media/${key}/${width}.jpg`;
}

/** A number with Vietnamese digit grouping: 1.250. */
export function formatCount(n: number): string {
  return n.toLocaleString('vi-VN');
}

/** A signed change: +5 / −3. */
export function formatDelta(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : `−${formatCount(Math.abs(n))}`;
}
