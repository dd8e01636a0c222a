/** The listing rules (shared/domain/listing-rules.ts) as pure functions. */
import { describe, expect, it } from 'vitest';
import { contactDetail, packChangesNeedReview } from '../../shared/domain/listing-rules.ts';

describe('contactDetail', () => {
  it.each([
    ['0912345678', 'số điện thoại'],
    ['gọi 09 12 34 56 78', 'số điện thoại'],
    ['(+84) 912-345-678', 'số điện thoại'],
    ['84912345678', 'số điện thoại'],
    ['www.chelan.vn', 'liên kết'],
    ['chelan . com', 'liên kết'],
    ['chelan chấm vn', 'liên kết'],
    ['HTTP://x.y', 'liên kết'],
    ['ZALO: Lan', 'Zalo hoặc tài khoản mạng xã hội'],
    ['Za lô', 'Zalo hoặc tài khoản mạng xã hội'],
    ['ib fb', 'Zalo hoặc tài khoản mạng xã hội'],
    ['@chelan', 'Zalo hoặc tài khoản mạng xã hội'],
  ])('finds it in %j', (text, kind) => {
    expect(contactDetail(text)).toBe(kind);
  });

  it.each([
    'Chè nõn Tân Cương 2025',
    'Hộp 10 gói × 5 g',
    'Trà móc câu 500 g hạng 1',
    'Mật ong rừng 1.000 ml',
    'OCOP 4 sao, lô 2026-03',
    'Chè xanh Đại Từ',
  ])('leaves %j alone', (text) => {
    expect(contactDetail(text)).toBeUndefined();
  });
});

describe('packChangesNeedReview', () => {
  const current = [{ id: 'a', price: 200_000 }];
  it('a new pack does', () => expect(packChangesNeedReview(current, [{ price: 1000 }])).toBe(true));
  it('a cut to less than half does', () =>
    expect(packChangesNeedReview(current, [{ id: 'a', price: 99_999 }])).toBe(true));
  it('a cut to exactly half does not', () =>
    expect(packChangesNeedReview(current, [{ id: 'a', price: 100_000 }])).toBe(false));
  it('a raise does not', () =>
    expect(packChangesNeedReview(current, [{ id: 'a', price: 500_000 }])).toBe(false));
});
