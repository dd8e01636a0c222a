/**
 * Plain checks that mirror the write schemas in shared/domain/seller.ts (which pull zod and the
 * 2025 admin units, too big for a phone): they catch the common mistakes before a request, with
 * the same paths the API uses, so one renderer shows both. The API stays the judge.
 */
import { parsePriceInput } from '../../../shared/domain/price-input.ts';
import type { FieldIssue } from './api.ts';

export { parsePriceInput };

/** The highest price the form takes (the API's bound). */
const MAX_PRICE = 1_000_000_000;

/** NFC, whitespace collapsed: how the API normalizes every text. */
export function normalize(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** "480.000", "480,000 đ", "480000" → 480000; null when it is not a whole number. */
export function parseWhole(raw: string): number | null {
  const cleaned = raw.replace(/[\s.,_]/g, '').replace(/(đ|₫|vnd|vnđ)$/i, '');
  if (!/^-?\d+$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isSafeInteger(n) ? n : null;
}

export class Checker {
  readonly issues: FieldIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  /** A text of at most `max` characters; undefined when optional and empty. */
  text(path: string, raw: string, max: number, required = true): string | undefined {
    const text = normalize(raw);
    if (!text) {
      if (required) this.add(path, 'Không được để trống');
      return undefined;
    }
    if (text.length > max) this.add(path, `Tối đa ${max} ký tự (đang có ${text.length})`);
    return text;
  }

  /** A whole number in [min, max]. */
  whole(path: string, raw: string, min: number, max: number, what = 'Số'): number | undefined {
    if (!raw.trim()) {
      this.add(path, `Hãy nhập ${what.toLowerCase()}`);
      return undefined;
    }
    const n = parseWhole(raw);
    if (n === null) {
      this.add(path, `${what} phải là số nguyên, không có phần lẻ`);
      return undefined;
    }
    if (n < min || n > max) {
      this.add(path, `${what} từ ${min.toLocaleString('vi-VN')} đến ${max.toLocaleString('vi-VN')}`);
      return undefined;
    }
    return n;
  }

  /** A price in whole đồng, above 0, typed as people say it: "180k", "1tr8", "1,8 triệu", "180.000". */
  price(path: string, raw: string): number | undefined {
    if (!raw.trim()) {
      this.add(path, 'Hãy nhập giá');
      return undefined;
    }
    const n = parsePriceInput(raw);
    if (n === null) {
      this.add(path, 'Chưa hiểu giá này. Ghi ví dụ 180000, 180k hoặc 1tr8');
      return undefined;
    }
    if (n <= 0 || n > MAX_PRICE) {
      this.add(path, `Giá từ 1 đến ${MAX_PRICE.toLocaleString('vi-VN')} đồng`);
      return undefined;
    }
    return n;
  }

  date(path: string, raw: string, notAfterToday = false): string | undefined {
    if (!raw) {
      this.add(path, 'Hãy chọn ngày');
      return undefined;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) {
      this.add(path, 'Ngày không hợp lệ');
      return undefined;
    }
    if (notAfterToday && raw > new Date().toISOString().slice(0, 10)) {
      this.add(path, 'Ngày không được ở tương lai');
    }
    return raw;
  }

  oneOf<T extends string>(path: string, raw: string, allowed: readonly T[], message: string): T | undefined {
    if (!(allowed as readonly string[]).includes(raw)) {
      this.add(path, message);
      return undefined;
    }
    return raw as T;
  }
}

/** Vietnamese mobile, as the API accepts it: 10 digits from 03/05/07/08/09, or +84. */
export function isMobile(phone: string): boolean {
  return /^(?:\+84|84|0)[35789]\d{8}$/.test(phone.replace(/[\s.()-]/g, ''));
}

export const SIX_DIGITS = /^\d{6}$/;

/** A reason is needed to reject (Decision schema). */
export function checkDecision(decision: 'approve' | 'reject', reason: string): FieldIssue[] {
  const c = new Checker();
  c.text('reason', reason, 500, decision === 'reject');
  if (decision === 'reject' && !normalize(reason)) {
    c.issues.splice(0, c.issues.length, {
      path: 'reason',
      message: 'Hãy ghi lý do từ chối để người gửi biết cần sửa gì',
    });
  }
  return c.issues;
}
