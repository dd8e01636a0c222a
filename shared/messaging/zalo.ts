/**
 * Zalo Notification Service (ZNS): template messages to a phone number, over Zalo's public API.
 *
 *   POST https://business.openapi.zalo.me/message/template
 *     header `access_token: <OA access token>`, JSON `{phone, template_id, template_data, tracking_id}`
 *     (`phone` as 84xxxxxxxxx) → `{error, message, data: {msg_id, sent_time, quota: {dailyQuota,
 *     remainingQuota}}}`, `error` 0 on success; HTTP 200 for refusals too.
 *   POST https://oauth.zaloapp.com/v4/oa/access_token
 *     header `secret_key: <app secret>`, form `refresh_token, app_id, grant_type=refresh_token`
 *     → `{access_token, refresh_token, expires_in}` (seconds, as a string; about 25 hours), or
 *     `{error, error_name, error_description}`. The refresh token ROTATES: the one returned
 *     replaces the one sent, which stops working.
 *
 * Error codes acted on (`error` of the send):
 *   -124 access token invalid, -216/-220 "access_token is expired or removed": refresh once, retry once.
 *   -118 Zalo account not existed; -119 account cannot receive ZNS; -114 user inactive or
 *        rejected ZNS; -108 phone number invalid: the phone cannot be reached on Zalo.
 *   -109 template id invalid; -111 template data empty; -112 template data invalid; -117 OA/app
 *        has no permission for this template: template problem.
 *   -115 out of quota.
 * Any failure is a ZaloError; the router falls back to SMS on every one (router.ts).
 *
 * Sources: Zalo's ZNS error table, https://zalo.cloud/zns/guidelines/handle-error-code (codes
 * -100…-112 and the 84xxxx phone form read there; -114…-119 follow the same table's order as
 * mirrored in https://helpdesk.getfly.vn/web-version/interactive-blocks/questions-about-zns,
 * -118 "Zalo account not existed" also as public clients test for it); the endpoints, headers,
 * bodies and response fields as Zalo's docs (https://developers.zalo.me/docs/zalo-notification-service/,
 * https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new)
 * describe them and public client code calls them (the @warriorteam/redai-zalo-sdk ZNS service
 * on unpkg; a Spring ZNS client that refreshes on -220 and treats -118 as "no Zalo account").
 */
import { toE164 } from '../domain/phone.ts';
import { templateData, type NoticeTemplate, type TemplateName } from './templates.ts';

export const ZALO_HOSTS = {
  api: 'https://business.openapi.zalo.me',
  oauth: 'https://oauth.zaloapp.com',
} as const;

/** How long one call to Zalo may take before it counts as a timeout. */
export const DEFAULT_ZALO_TIMEOUT_MS = 5_000;
/** An access token is renewed this long before Zalo says it expires. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

const TOKEN_ERRORS = new Set([-124, -216, -220]);
const NOT_REACHABLE = new Set([-108, -114, -118, -119]);
const TEMPLATE_ERRORS = new Set([-109, -111, -112, -117]);
const QUOTA_ERRORS = new Set([-115]);

export type ZaloFailure = 'no_zalo' | 'template' | 'quota' | 'token' | 'timeout' | 'unavailable' | 'refused';

export class ZaloError extends Error {
  constructor(
    readonly failure: ZaloFailure,
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'ZaloError';
  }
}

/** Where the tokens are kept between calls and containers (shared/db/zalo-token.ts). */
export interface ZaloTokenStore {
  get(): Promise<
    { accessToken: string; accessExpiresAt: number; refreshToken: string; version: number } | undefined
  >;
  replace(
    next: { accessToken: string; accessExpiresAt: number; refreshToken: string },
    previousVersion: number,
  ): Promise<boolean>;
}

/** The app's secret key and the refresh token issued when the OA authorised the app. */
export interface ZaloCredentials {
  secretKey: string;
  /** Used until the store holds a newer (rotated) one. */
  refreshToken: string;
}

export interface ZaloSettings {
  appId: string;
  /** The credentials, or where they are read from on first use (SSM in AWS). */
  credentials: ZaloCredentials | (() => Promise<ZaloCredentials>);
  /** Approved template ids by our template names; a name without an id goes by SMS. */
  templateIds: Partial<Record<TemplateName, string>>;
  tokens: ZaloTokenStore;
  /** @default ZALO_HOSTS.api (the emulator locally) */
  apiUrl?: string;
  /** @default ZALO_HOSTS.oauth */
  oauthUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: () => Date;
}

export interface ZaloSent {
  msgId: string;
  sentTime?: string;
  remainingQuota?: string;
}

export interface ZaloClient {
  /** Whether this template has an approved id. */
  has(name: TemplateName): boolean;
  /** Sends one template message; throws ZaloError on any failure. */
  send(input: { phone: string; template: NoticeTemplate; trackingId: string }): Promise<ZaloSent>;
}

/** 84xxxxxxxxx, the form ZNS takes, from any accepted Vietnamese mobile number. */
export function znsPhone(phone: string): string | undefined {
  return toE164(phone)?.replace(/^\+/, '');
}

export function createZaloClient(settings: ZaloSettings): ZaloClient {
  const doFetch = settings.fetch ?? fetch;
  const now = () => (settings.clock ? settings.clock() : new Date()).getTime();
  const timeoutMs = settings.timeoutMs ?? DEFAULT_ZALO_TIMEOUT_MS;
  const apiUrl = (settings.apiUrl ?? ZALO_HOSTS.api).replace(/\/$/, '');
  const oauthUrl = (settings.oauthUrl ?? ZALO_HOSTS.oauth).replace(/\/$/, '');
  /** The container's copy of the access token, so most sends read nothing from the table. */
  let cached: { accessToken: string; accessExpiresAt: number } | undefined;

  async function call(url: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ZaloError('timeout', `Zalo did not answer within ${timeoutMs} ms`);
      }
      throw new ZaloError('unavailable', 'Zalo could not be reached');
    }
    if (response.status >= 500) throw new ZaloError('unavailable', `Zalo answered HTTP ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new ZaloError('unavailable', `Zalo answered HTTP ${response.status} without JSON`);
    }
  }

  const fresh = (t: { accessToken: string; accessExpiresAt: number } | undefined) =>
    !!t && t.accessToken !== '' && t.accessExpiresAt - EXPIRY_MARGIN_MS > now();

  async function accessToken(): Promise<string> {
    if (fresh(cached)) return cached!.accessToken;
    const stored = await settings.tokens.get();
    if (fresh(stored)) {
      cached = stored;
      return stored!.accessToken;
    }
    return refresh(stored?.accessToken);
  }

  /**
   * A new access token. `stale` is the one Zalo refused (or the expired one): when the store
   * already holds another, a different container refreshed meanwhile and its token is used.
   */
  async function refresh(stale: string | undefined): Promise<string> {
    const stored = await settings.tokens.get();
    if (stored && stored.accessToken !== '' && stored.accessToken !== stale && fresh(stored)) {
      cached = stored;
      return stored.accessToken;
    }
    const credentials =
      typeof settings.credentials === 'function' ? await settings.credentials() : settings.credentials;
    const refreshToken = stored?.refreshToken || credentials.refreshToken;
    const version = stored?.version ?? 0;
    const body = await call(`${oauthUrl}/v4/oa/access_token`, {
      method: 'POST',
      headers: { secret_key: credentials.secretKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        refresh_token: refreshToken,
        app_id: settings.appId,
        grant_type: 'refresh_token',
      }).toString(),
    });
    const answer = body as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== 'string' || typeof answer.refresh_token !== 'string') {
      // Another container may have rotated the refresh token just before: its record wins.
      const again = await settings.tokens.get();
      if (again && again.version !== version && fresh(again)) {
        cached = again;
        return again.accessToken;
      }
      const error = (body as { error?: unknown; error_description?: unknown }) ?? {};
      throw new ZaloError(
        'token',
        `Zalo refused the refresh token (${String(error.error ?? '?')} ${String(error.error_description ?? '')})`.trim(),
        typeof error.error === 'number' ? error.error : undefined,
      );
    }
    const next = {
      accessToken: answer.access_token,
      accessExpiresAt: now() + Number(answer.expires_in ?? 90_000) * 1000,
      refreshToken: answer.refresh_token,
    };
    if (!(await settings.tokens.replace(next, version))) {
      // Lost the race: the other container's record holds the newest refresh token; ours is
      // still a valid access token for now, and the next refresh starts from the stored one.
      const winner = await settings.tokens.get();
      if (winner && fresh(winner)) {
        cached = winner;
        return winner.accessToken;
      }
    }
    cached = next;
    return next.accessToken;
  }

  async function sendOnce(token: string, body: Record<string, unknown>) {
    return (await call(`${apiUrl}/message/template`, {
      method: 'POST',
      headers: { access_token: token, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })) as { error?: unknown; message?: unknown; data?: Record<string, unknown> };
  }

  return {
    has: (name) => !!settings.templateIds[name],

    async send({ phone, template, trackingId }) {
      const templateId = settings.templateIds[template.name];
      if (!templateId) throw new ZaloError('template', `No approved Zalo template for ${template.name}`);
      const to = znsPhone(phone);
      if (!to) throw new ZaloError('no_zalo', 'Not a Vietnamese mobile number');
      const body = {
        phone: to,
        template_id: templateId,
        template_data: templateData(template),
        tracking_id: trackingId.slice(0, 48),
      };
      let token = await accessToken();
      let answer = await sendOnce(token, body);
      if (typeof answer.error === 'number' && TOKEN_ERRORS.has(answer.error)) {
        cached = undefined;
        token = await refresh(token);
        answer = await sendOnce(token, body);
      }
      const code = typeof answer.error === 'number' ? answer.error : Number.NaN;
      if (code === 0) {
        const data = answer.data ?? {};
        const quota = (data.quota ?? {}) as Record<string, unknown>;
        return {
          msgId: String(data.msg_id ?? ''),
          ...(data.sent_time !== undefined ? { sentTime: String(data.sent_time) } : {}),
          ...(quota.remainingQuota !== undefined ? { remainingQuota: String(quota.remainingQuota) } : {}),
        };
      }
      const message = `Zalo refused the message: ${code} ${String(answer.message ?? '')}`.trim();
      if (NOT_REACHABLE.has(code)) throw new ZaloError('no_zalo', message, code);
      if (TEMPLATE_ERRORS.has(code)) throw new ZaloError('template', message, code);
      if (QUOTA_ERRORS.has(code)) throw new ZaloError('quota', message, code);
      if (TOKEN_ERRORS.has(code)) throw new ZaloError('token', message, code);
      throw new ZaloError('refused', message, Number.isNaN(code) ? undefined : code);
    },
  };
}
