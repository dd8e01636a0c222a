/**
 * The sign-in facade the site talks to, the same in AWS and locally: a one-time code to a
 * Vietnamese mobile, then an access token. Rate limits and the lock after wrong codes live here,
 * around whichever provider sends and checks codes (Cognito in AWS, the local issuer locally).
 */
import * as z from 'zod';
import { rateLimited } from '../domain/errors.ts';
import { PhoneNumber } from '../domain/common.ts';
import { hit } from '../db/rate-limits.ts';
import type { Account } from '../db/accounts.ts';
import { required } from '../services.ts';
import { UnauthorizedError } from './tokens.ts';
import { countEvent } from '../observability/metrics.ts';

export interface SignInResult {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  account: Pick<Account, 'sub' | 'phone' | 'groups' | 'producerId'>;
}

export interface SignInProvider {
  /** Sends a fresh 6-digit code to the phone (E.164). */
  sendCode(phone: string): Promise<void>;
  /** The tokens when the code is right and current; null when it is wrong or expired. */
  checkCode(phone: string, code: string): Promise<SignInResult | null>;
  /**
   * A session for an account whose identity was just verified another way (a linked digital
   * identity, shared/auth/identity.ts); absent where the provider cannot issue one.
   */
  issueSession?(account: Account): Promise<SignInResult>;
}

export const SIGN_IN_LIMITS = {
  codesPerPhone: 5,
  codesPerIp: 20,
  windowSeconds: 15 * 60,
  /** Attempts to enter a code before the phone is locked for the rest of the window. */
  attemptsPerPhone: 5,
  codeTtlSeconds: 5 * 60,
} as const;

export const StartSignInBody = z.strictObject({ phone: PhoneNumber }).meta({ id: 'StartSignIn' });
export const VerifySignInBody = z
  .strictObject({
    phone: PhoneNumber,
    code: z.string().regex(/^\d{6}$/, 'Mã gồm 6 chữ số / The code has 6 digits'),
  })
  .meta({ id: 'VerifySignIn' });

function currentProvider(): SignInProvider {
  return required('signIn');
}

/** Sends a code, within the per-phone and per-IP limits. */
export async function startSignIn(phone: string, ip: string): Promise<{ expiresIn: number }> {
  const { windowSeconds } = SIGN_IN_LIMITS;
  if (!(await hit(`signin-ip#${ip}`, SIGN_IN_LIMITS.codesPerIp, windowSeconds))) {
    throw rateLimited(
      'auth.too_many_requests',
      'Quá nhiều yêu cầu, hãy thử lại sau 15 phút / Too many requests, try again in 15 minutes',
    );
  }
  if (!(await hit(`signin-phone#${phone}`, SIGN_IN_LIMITS.codesPerPhone, windowSeconds))) {
    throw rateLimited(
      'auth.too_many_codes',
      'Đã gửi quá nhiều mã cho số này, hãy thử lại sau 15 phút / Too many codes for this phone, try again in 15 minutes',
    );
  }
  await currentProvider().sendCode(phone);
  countEvent('SignInCodesSent');
  return { expiresIn: SIGN_IN_LIMITS.codeTtlSeconds };
}

/** Exchanges a code for tokens; after a few tries the phone is locked for the window. */
export async function verifySignIn(phone: string, code: string): Promise<SignInResult> {
  if (!(await hit(`verify-phone#${phone}`, SIGN_IN_LIMITS.attemptsPerPhone, SIGN_IN_LIMITS.windowSeconds))) {
    throw rateLimited(
      'auth.locked',
      'Nhập sai quá nhiều lần, số này bị khóa 15 phút / Too many wrong codes, this phone is locked for 15 minutes',
    );
  }
  const result = await currentProvider().checkCode(phone, code);
  if (!result) throw new UnauthorizedError('Mã không đúng hoặc đã hết hạn / Wrong or expired code');
  return result;
}
