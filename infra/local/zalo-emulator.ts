/**
 * A local stand-in for Zalo's ZNS and OA token endpoints, following the public API exactly
 * (shared/messaging/zalo.ts lists it with its sources): the exchange's ZNS client points its
 * `apiUrl` and `oauthUrl` at this server instead of business.openapi.zalo.me and
 * oauth.zaloapp.com, and nothing else changes.
 *
 *   POST /v4/oa/access_token   header `secret_key`, form `refresh_token, app_id, grant_type`
 *                              → `{access_token, refresh_token, expires_in}`; the refresh token
 *                              rotates (the one used stops working), as at Zalo.
 *   POST /message/template     header `access_token`, JSON `{phone, template_id, template_data,
 *                              tracking_id}` → `{error: 0, message, data: {msg_id, sent_time,
 *                              quota}}`, or a refusal with Zalo's code (HTTP 200 like Zalo):
 *                              -124 token invalid or expired, -108 phone invalid, -109 template
 *                              id invalid, -111/-112 template data empty/invalid, -118 no Zalo
 *                              account, -119 cannot receive ZNS, -115 out of quota.
 *
 * Access tokens expire (`accessTokenTtlSeconds`), so the refresh path runs locally too; phones
 * listed in `noZaloPhones` have no Zalo account. Each accepted message is handed to `onMessage`
 * with its text filled in (the local runtime puts it in the dev inbox, marked Zalo).
 */
import { randomBytes } from 'node:crypto';
import { listen } from './listen.ts';
import { Hono } from 'hono';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { notificationPrefs } from '../../shared/db/notification-prefs.ts';
import { sentMessages } from '../../shared/db/sent-messages.ts';
import { zaloTokens } from '../../shared/db/zalo-token.ts';
import type { Messenger } from '../../shared/messaging/messenger.ts';
import { createChannelRouter } from '../../shared/messaging/router.ts';
import { renderTemplate, TEMPLATE_TEXTS, type TemplateName } from '../../shared/messaging/templates.ts';
import { createZaloClient } from '../../shared/messaging/zalo.ts';

/** The emulator's app credentials and template ids (never real ones). */
export const ZALO_EMULATOR_APP = {
  appId: '4321000000000000000',
  secretKey: 'zalo-dev-secret-key-emulator',
  refreshToken: 'zalo-dev-refresh-token-0',
} as const;

/** The ids the emulator gives the exchange's templates (Zalo assigns numeric ids on approval). */
export const ZALO_EMULATOR_TEMPLATE_IDS: Readonly<Record<TemplateName, string>> = Object.fromEntries(
  (Object.keys(TEMPLATE_TEXTS) as TemplateName[]).map((name, i) => [name, String(410_001 + i)]),
) as Record<TemplateName, string>;

export interface DeliveredZns {
  msgId: string;
  phone: string;
  templateId: string;
  templateData: Record<string, string>;
  trackingId: string;
  text: string;
  sentAt: Date;
}

export interface ZaloEmulatorOptions {
  appId?: string;
  secretKey?: string;
  /** The refresh token the OA issued first. */
  refreshToken?: string;
  /** @default 90000 (25 hours, as Zalo) */
  accessTokenTtlSeconds?: number;
  /** Phones (84…, 0… or +84…) without a Zalo account: -118. */
  noZaloPhones?: Iterable<string>;
  /** Phones that turned ZNS off: -119. */
  blockedPhones?: Iterable<string>;
  /** Messages a day; past it, -115. @default 5000 */
  dailyQuota?: number;
  /** template id → text with `<param>`s. @default the exchange's templates under ZALO_EMULATOR_TEMPLATE_IDS */
  templates?: Readonly<Record<string, string>>;
  /** Wait this long before answering a send (tests of the timeout). */
  sendDelayMs?: number;
  onMessage?: (message: DeliveredZns) => void | Promise<void>;
  clock?: () => Date;
}

export interface ZaloEmulator {
  app: Hono;
  /** Every accepted message, oldest first. */
  delivered: DeliveredZns[];
  /** Every refused send: the phone as sent and Zalo's error code. */
  refused: { phone: string; error: number }[];
  /** How many token refreshes were answered with new tokens. */
  refreshes: () => number;
  /** The refresh token that works now. */
  currentRefreshToken: () => string;
  /** Makes every access token issued so far expire now (the next send answers -124). */
  expireAccessTokens(): void;
  setSendDelay(ms: number): void;
  options: Required<Pick<ZaloEmulatorOptions, 'appId' | 'secretKey'>>;
}

/** 84xxxxxxxxx from the forms ZNS accepts (84…, 0…, or the digits without the 0). */
function normalise(phone: string): string | undefined {
  const digits = phone.replace(/[^\d]/g, '');
  const m = /^(?:84|0)?([35789]\d{8})$/.exec(digits);
  return m ? `84${m[1]}` : undefined;
}

export function createZaloEmulator(options: ZaloEmulatorOptions = {}): ZaloEmulator {
  const appId = options.appId ?? ZALO_EMULATOR_APP.appId;
  const secretKey = options.secretKey ?? ZALO_EMULATOR_APP.secretKey;
  const ttl = options.accessTokenTtlSeconds ?? 90_000;
  const now = () => (options.clock ? options.clock() : new Date()).getTime();
  const templates =
    options.templates ??
    Object.fromEntries(
      Object.entries(ZALO_EMULATOR_TEMPLATE_IDS).map(([name, id]) => [
        id,
        TEMPLATE_TEXTS[name as TemplateName],
      ]),
    );
  const noZalo = new Set([...(options.noZaloPhones ?? [])].map(normalise));
  const blocked = new Set([...(options.blockedPhones ?? [])].map(normalise));
  const quota = options.dailyQuota ?? 5_000;
  let sendDelayMs = options.sendDelayMs ?? 0;

  let refreshToken = options.refreshToken ?? ZALO_EMULATOR_APP.refreshToken;
  const accessTokens = new Map<string, number>(); // token → expires at (ms)
  let refreshes = 0;
  const delivered: DeliveredZns[] = [];
  const sentToday = () => delivered.filter((d) => now() - d.sentAt.getTime() < 86_400_000).length;

  const refused: { phone: string; error: number }[] = [];
  const app = new Hono();

  app.post('/v4/oa/access_token', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (c.req.header('secret_key') !== secretKey) {
      return c.json({
        error: -14002,
        error_name: 'Invalid secret key',
        error_description: 'secret_key is invalid',
      });
    }
    if (form.app_id !== appId) {
      return c.json({ error: -14001, error_name: 'Invalid app id', error_description: 'app_id is invalid' });
    }
    if (form.grant_type !== 'refresh_token' || typeof form.refresh_token !== 'string') {
      return c.json({
        error: -14003,
        error_name: 'Invalid grant',
        error_description: 'grant_type must be refresh_token',
      });
    }
    if (form.refresh_token !== refreshToken) {
      return c.json({
        error: -14014,
        error_name: 'Invalid refresh token',
        error_description: 'Refresh token is invalid or has been used',
      });
    }
    const access = `zalo-emu-access-${randomBytes(12).toString('base64url')}`;
    refreshToken = `zalo-emu-refresh-${randomBytes(12).toString('base64url')}`;
    accessTokens.set(access, now() + ttl * 1000);
    refreshes += 1;
    return c.json({ access_token: access, refresh_token: refreshToken, expires_in: String(ttl) });
  });

  app.post('/message/template', async (c) => {
    const answer = await sendTemplate(c.req.raw.clone(), c.req.header('access_token') ?? '');
    if (answer.error !== 0) refused.push({ phone: answer.phone, error: answer.error });
    const { phone: _phone, ...body } = answer;
    return c.json(body);
  });

  async function sendTemplate(
    request: Request,
    token: string,
  ): Promise<{ error: number; message: string; phone: string; data?: unknown }> {
    let sentPhone = '';
    const refusal = (error: number, message: string) => ({ error, message, phone: sentPhone });
    const expiresAt = accessTokens.get(token);
    if (expiresAt === undefined || expiresAt <= now()) return refusal(-124, 'Access token invalid');
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return refusal(-122, 'Body format invalid');
    }
    if (sendDelayMs > 0) await new Promise((done) => setTimeout(done, sendDelayMs));
    sentPhone = typeof body.phone === 'string' ? body.phone : '';
    const phone = normalise(sentPhone);
    if (!phone) return refusal(-108, 'Phone number invalid');
    const templateId = String(body.template_id ?? '');
    const text = templates[templateId];
    if (!text) return refusal(-109, 'Template ID invalid');
    const data = body.template_data;
    if (!data || typeof data !== 'object' || Object.keys(data).length === 0) {
      return refusal(-111, 'Template data empty');
    }
    const values = data as Record<string, unknown>;
    const params = [...text.matchAll(/<([a-z_]+)>/g)].map((m) => m[1]!);
    if (params.some((p) => typeof values[p] !== 'string' || values[p] === '')) {
      return refusal(-112, 'Template data invalid');
    }
    if (noZalo.has(phone)) return refusal(-118, 'Zalo account not existed');
    if (blocked.has(phone)) return refusal(-119, 'Account can not receive ZNS');
    if (sentToday() >= quota) return refusal(-115, 'Out of quota');
    const sentAt = new Date(now());
    const message: DeliveredZns = {
      msgId: randomBytes(16).toString('hex'),
      phone,
      templateId,
      templateData: values as Record<string, string>,
      trackingId: String(body.tracking_id ?? ''),
      text: renderTemplate(text, values as Record<string, string>),
      sentAt,
    };
    delivered.push(message);
    await options.onMessage?.(message);
    return {
      error: 0,
      message: 'Success',
      phone: sentPhone,
      data: {
        msg_id: message.msgId,
        sent_time: String(sentAt.getTime()),
        quota: { dailyQuota: String(quota), remainingQuota: String(quota - sentToday()) },
      },
    };
  }

  return {
    app,
    delivered,
    refused,
    refreshes: () => refreshes,
    currentRefreshToken: () => refreshToken,
    expireAccessTokens() {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
    setSendDelay(ms) {
      sendDelayMs = ms;
    },
    options: { appId, secretKey },
  };
}

export interface RunningZaloEmulator {
  url: string;
  emulator: ZaloEmulator;
  stop(): Promise<void>;
}

/** Serves the emulator on `port` (0: a free one); both Zalo hosts are this one URL. */
export async function startZaloEmulator(
  options: ZaloEmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningZaloEmulator> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const emulator = createZaloEmulator(rest);
  const served = await listen(emulator.app.fetch, port, host);
  return { ...served, emulator };
}

/**
 * The local runtime's messenger: the channel router with SMS into the dev inbox and Zalo through
 * this emulator, whose deliveries land in the dev inbox too, marked Zalo.
 */
export function emulatorMessenger(
  running: Pick<RunningZaloEmulator, 'url'>,
  options: { sms?: Messenger; timeoutMs?: number; staleAfterMs?: number } = {},
): Messenger {
  return createChannelRouter({
    sms: options.sms ?? devInbox,
    zalo: createZaloClient({
      appId: ZALO_EMULATOR_APP.appId,
      credentials: { secretKey: ZALO_EMULATOR_APP.secretKey, refreshToken: ZALO_EMULATOR_APP.refreshToken },
      templateIds: ZALO_EMULATOR_TEMPLATE_IDS,
      tokens: zaloTokens,
      apiUrl: running.url,
      oauthUrl: running.url,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
    prefs: notificationPrefs,
    sent: sentMessages,
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
  });
}

const TEMPLATE_BY_ID = new Map(Object.entries(ZALO_EMULATOR_TEMPLATE_IDS).map(([name, id]) => [id, name]));

/** What the emulator delivered, as the dev inbox shows it (channel Zalo). */
export function recordInDevInbox(message: DeliveredZns): Promise<void> {
  return devInbox.record(
    {
      to: `+${message.phone}`,
      kind: TEMPLATE_BY_ID.get(message.templateId) === 'sign_in_code' ? 'sign_in_code' : 'notification',
      text: message.text,
    },
    'zalo',
  );
}
