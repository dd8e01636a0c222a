/**
 * The order limits, in one place (the README's "Limits on orders" copies them). They keep one
 * anonymous caller from taking stock off sale, and they fit real buyers: a household orders a
 * few times a day at most, from a phone it holds.
 *
 * `RATE_LIMITS=off` turns the counting limits off for load tests and benchmarks on one machine
 * (every request there comes from one address); the CDK app refuses to synthesize with it
 * (infra/app.ts). COD confirmation is not a rate limit: it always applies.
 */
import { config } from '../services.ts';
import { DomainError } from '../domain/errors.ts';

export const ORDER_RATE_LIMITS = {
  /** Unpaid (online) or unconfirmed (COD) orders a phone may have open at once. */
  openOrdersPerPhone: 3,
  /**
   * Orders placed from one address in an hour. Generous: Vietnamese mobile networks put many
   * subscribers behind one address (carrier-grade NAT).
   */
  ordersPerIpPerHour: 30,
  /** Orders placed for one phone in an hour. */
  ordersPerPhonePerHour: 5,
  /** Units of one pack ordered for one phone in a (UTC) day: one full order line. */
  packUnitsPerPhonePerDay: 50,
} as const;

export const COD_CONFIRMATION = {
  /** A COD order is held this long for the buyer to confirm it, then expires like an unpaid one. */
  windowMs: 15 * 60_000,
  /** Wrong codes for one order before it can no longer be confirmed by code (it then expires). */
  attempts: 5,
  /**
   * A phone that has confirmed a COD order by code (within `trustedForDays`) skips confirmation
   * for orders whose items total at most this (VND). Larger orders are confirmed every time.
   */
  trustedMaxItemsTotal: 500_000,
  trustedForDays: 180,
} as const;

/** Whether the counting limits apply (`RATE_LIMITS=off` turns them off; anything else keeps them). */
export function rateLimitsOn(): boolean {
  return config().rateLimits;
}

/** 429 with a Retry-After (functions/http.ts sets the header from `retryAfterSeconds`). */
export class LimitExceeded extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', code, message);
  }
}

/** Seconds until the fixed window of `windowSeconds` that holds `nowMs` ends (at least 1). */
export function secondsLeftInWindow(nowMs: number, windowSeconds: number): number {
  const end = (Math.floor(nowMs / 1000 / windowSeconds) + 1) * windowSeconds;
  return Math.max(1, Math.ceil(end - nowMs / 1000));
}

/** "15 phút", "2 giờ": a wait in Vietnamese. */
export function waitText(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.ceil(seconds / 60))} phút`;
  return `${Math.ceil(seconds / 3600)} giờ`;
}
