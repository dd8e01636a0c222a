/** Words for statuses, kinds and audit actions on the seller pages (Vietnamese, then English). */
import { formatVnd } from '../../../shared/domain/money.ts';
import { h } from './dom.ts';
import type { ProductStatus } from './types.ts';

export { formatVnd };

export const PRODUCT_STATUS: Record<ProductStatus, { vi: string; en: string; tone: string }> = {
  draft: { vi: 'Nháp', en: 'Draft', tone: 'draft' },
  in_review: { vi: 'Chờ duyệt', en: 'In review', tone: 'review' },
  published: { vi: 'Đang bán', en: 'On sale', tone: 'ok' },
  archived: { vi: 'Lưu trữ', en: 'Archived', tone: 'muted' },
};

export const VERIFICATION: Record<string, { vi: string; en: string; tone: string }> = {
  pending: { vi: 'Chờ xác minh', en: 'Awaiting verification', tone: 'review' },
  verified: { vi: 'Đã xác minh', en: 'Verified', tone: 'ok' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected', tone: 'bad' },
};

export const MEMBERSHIP: Record<string, { vi: string; en: string; tone: string }> = {
  requested: { vi: 'Chờ hợp tác xã duyệt', en: 'Awaiting the cooperative', tone: 'review' },
  approved: { vi: 'Đã là thành viên', en: 'Member', tone: 'ok' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected', tone: 'bad' },
};

export const KIND: Record<string, { vi: string; en: string }> = {
  household: { vi: 'Hộ sản xuất', en: 'Household' },
  cooperative: { vi: 'Hợp tác xã', en: 'Cooperative' },
  enterprise: { vi: 'Doanh nghiệp', en: 'Enterprise' },
};

export const ROLE: Record<string, string> = {
  self: 'Bạn (chủ hộ) / You',
  cooperative_manager: 'Quản lý hợp tác xã / Cooperative manager',
  admin: 'Quản trị viên sàn / Exchange admin',
  system: 'Hệ thống / System',
};

export const ACTION: Record<string, string> = {
  'producer.signed_up': 'Đăng ký nhà sản xuất / Signed up',
  'producer.verified': 'Được xác minh / Verified',
  'producer.rejected': 'Bị từ chối xác minh / Verification rejected',
  'membership.requested': 'Xin gia nhập hợp tác xã / Asked to join a cooperative',
  'membership.approved': 'Được nhận vào hợp tác xã / Membership approved',
  'membership.rejected': 'Bị từ chối gia nhập / Membership rejected',
  'product.created': 'Tạo sản phẩm / Listing created',
  'product.created_on_behalf': 'HTX đăng sản phẩm thay (có mã đồng ý) / Listed on your behalf with consent',
  'product.updated': 'Sửa sản phẩm / Listing edited',
  'product.submitted': 'Gửi duyệt / Submitted for review',
  'product.approved': 'Sản phẩm được duyệt / Listing approved',
  'product.rejected': 'Sản phẩm bị từ chối / Listing rejected',
  'product.archived': 'Lưu trữ sản phẩm / Listing archived',
  'stock.adjusted': 'Điều chỉnh kho / Stock adjusted',
  'photo.added': 'Thêm ảnh / Photo added',
  'lot.created': 'Tạo lô hàng / Lot created',
  'ocop.added': 'Thêm chứng nhận OCOP / OCOP certificate added',
  'ocop.verified': 'Chứng nhận OCOP được xác minh / OCOP certificate verified',
  'ocop.rejected': 'Chứng nhận OCOP bị từ chối / OCOP certificate rejected',
  'consent.given': 'Đồng ý cho HTX đăng thay / Consent given',
};

export function actionLabel(action: string): string {
  return ACTION[action] ?? action;
}

/** A coloured status chip: text, not colour alone, carries the meaning. */
export function chip(
  label: { vi: string; en: string; tone: string } | undefined,
  fallback = '',
): HTMLElement {
  if (!label) return h('span', { class: 'chip-status' }, fallback);
  return h('span', { class: `chip-status chip-status--${label.tone}`, title: label.en }, label.vi);
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
