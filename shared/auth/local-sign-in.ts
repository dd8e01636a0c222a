/**
 * The local sign-in provider: 6-digit codes kept (hashed) in the table for five minutes and
 * delivered through the messenger (the dev inbox), tokens signed by the local issuer.
 */
import { accounts, type Account } from '../db/accounts.ts';
import { newId } from '../db/items.ts';
import { consumeSignInCode, getSignInCode, putSignInCode } from '../db/sign-in-codes.ts';
import { messenger } from '../messaging/messenger.ts';
import { template } from '../messaging/templates.ts';
import { codeDigest, codeMatches, newOneTimeCode } from './one-time-code.ts';
import { SIGN_IN_LIMITS, type SignInProvider, type SignInResult } from './sign-in.ts';

export interface TokenSigner {
  sign(account: Account): Promise<{ accessToken: string; expiresIn: number }>;
}

export function createLocalSignInProvider(signer: TokenSigner): SignInProvider {
  const issueSession = async (account: Account): Promise<SignInResult> => {
    const token = await signer.sign(account);
    return {
      ...token,
      tokenType: 'Bearer',
      account: {
        sub: account.sub,
        phone: account.phone,
        groups: account.groups,
        producerId: account.producerId,
      },
    };
  };
  return {
    async sendCode(phone) {
      const code = newOneTimeCode();
      await putSignInCode(phone, {
        codeHash: codeDigest(phone, code),
        expiresAt: Math.floor(Date.now() / 1000) + SIGN_IN_LIMITS.codeTtlSeconds,
      });
      await messenger().send({
        to: phone,
        kind: 'sign_in_code',
        text: `Mã đăng nhập Sàn OCOP Thái Nguyên: ${code}. Mã có hiệu lực 5 phút, không chia sẻ cho ai.`,
        // ZNS allows one-time codes in authentication templates.
        template: template('sign_in_code', { otp: code }),
      });
    },

    async checkCode(phone, code): Promise<SignInResult | null> {
      const stored = await getSignInCode(phone);
      if (!stored || stored.expiresAt * 1000 < Date.now()) return null;
      if (!codeMatches(stored.codeHash, phone, code)) return null;
      // Single use: only the request that deletes the code may sign in with it.
      if (!(await consumeSignInCode(phone, stored.codeHash))) return null;
      const account =
        (await accounts.findByPhone(phone)) ??
        (await accounts.create({ sub: newId(), phone, groups: [], createdAt: new Date().toISOString() }));
      return issueSession(account);
    },

    issueSession,
  };
}
