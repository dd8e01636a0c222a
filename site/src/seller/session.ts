/**
 * The seller's sign-in session: the access token and its expiry, kept in localStorage so that a
 * phone that closes the tab stays signed in until the token runs out.
 */
export interface SessionAccount {
  sub: string;
  phone: string;
  groups: string[];
  producerId?: string;
}

export interface Session {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  account: SessionAccount;
}

export interface SignInResult {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  account: SessionAccount;
}

const KEY = 'tn-seller-session';
/** Treat a token as expired a little early, so a request never starts with a dying token. */
const SKEW_MS = 30_000;
export const SIGN_IN_PATH = '/ban-hang/';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function loadSession(): Session | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== 'string' || typeof session.expiresAt !== 'number') return null;
    if (session.expiresAt - SKEW_MS <= Date.now()) {
      clearSession();
      return null;
    }
    return session;
  } catch {
    clearSession();
    return null;
  }
}

export function saveSession(result: SignInResult): Session {
  const session: Session = {
    token: result.accessToken,
    expiresAt: Date.now() + result.expiresIn * 1000,
    account: result.account,
  };
  storage()?.setItem(KEY, JSON.stringify(session));
  return session;
}

export function clearSession(): void {
  storage()?.removeItem(KEY);
}

/** The sign-in page, coming back to `next` afterwards; `expired` says why. */
export function signInUrl(next?: string, expired = false) {
  const params = new URLSearchParams();
  // On the sign-in page itself, keep where it was going to go (never nest ?next=).
  const target =
    next ??
    (location.pathname === SIGN_IN_PATH
      ? new URLSearchParams(location.search).get('next')
      : location.pathname + location.search + location.hash);
  if (target && target !== SIGN_IN_PATH) params.set('next', target);
  if (expired) params.set('het-han', '1');
  const query = params.toString();
  return SIGN_IN_PATH + (query ? `?${query}` : '');
}

/** The current session, or a trip to the sign-in page. */
export function requireSession(): Session | null {
  const session = loadSession();
  if (!session) {
    location.assign(signInUrl());
    return null;
  }
  return session;
}

/**
 * The path to go to after sign-in, or null: only a path on this origin. The browser's own URL
 * parser decides, because it reads `/\host` or `/<tab>/host` as another host while a prefix check
 * sees a path; the answer is rebuilt from the parsed URL, never the raw text.
 */
export function sameOriginPath(value: string | null | undefined, origin: string): string | null {
  if (!value || !value.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  return url.pathname + url.search + url.hash;
}

/** Only same-origin paths are followed after sign-in. */
export function safeNext(value: string | null): string | null {
  return sameOriginPath(value, location.origin);
}

export function signOut(): void {
  clearSession();
  location.assign(SIGN_IN_PATH);
}

/**
 * A sign-in in progress (the phone a code was sent to, and when), kept for the tab so that a
 * reload on the code step stays there while the code is still valid, with the phone filled in.
 */
export interface PendingSignIn {
  phone: string;
  /** Epoch milliseconds. */
  sentAt: number;
}

const PENDING_KEY = 'tn-seller-sign-in';
/** How long a sign-in code lasts (SIGN_IN_LIMITS.codeTtlSeconds in shared/auth/sign-in.ts). */
export const CODE_TTL_MS = 5 * 60_000;

function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function rememberPendingSignIn(phone: string, sentAt = Date.now()): void {
  tabStorage()?.setItem(PENDING_KEY, JSON.stringify({ phone, sentAt } satisfies PendingSignIn));
}

/** The sign-in in progress, or null; `codeValid` says whether its code can still be used. */
export function pendingSignIn(): (PendingSignIn & { codeValid: boolean }) | null {
  const raw = tabStorage()?.getItem(PENDING_KEY);
  if (!raw) return null;
  try {
    const pending = JSON.parse(raw) as PendingSignIn;
    if (typeof pending.phone !== 'string' || typeof pending.sentAt !== 'number') return null;
    return { ...pending, codeValid: Date.now() - pending.sentAt < CODE_TTL_MS };
  } catch {
    return null;
  }
}

export function forgetPendingSignIn(): void {
  tabStorage()?.removeItem(PENDING_KEY);
}
