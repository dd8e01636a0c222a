/**
 * Notices in AWS (the notices worker only, functions/messaging/notices-worker.ts); when Zalo is configured (config.zalo): the channel router over the SNS
 * messenger and the ZNS client against Zalo's hosts (or any other host in ZALO_API_HOST /
 * ZALO_OAUTH_HOST: pointing elsewhere is a configuration change only). The app's secret key and
 * its first refresh token are SecureStrings under ZALO_SSM_PATH (`zalo-secret-key`,
 * `zalo-refresh-token`), read on first use and kept for the container; the rotated refresh
 * tokens live in the table (shared/db/zalo-token.ts) from the first refresh on.
 */
import { notificationPrefs } from '../../shared/db/notification-prefs.ts';
import { sentMessages } from '../../shared/db/sent-messages.ts';
import { zaloTokens } from '../../shared/db/zalo-token.ts';
import type { Config } from '../../shared/config.ts';
import type { Messenger } from '../../shared/messaging/messenger.ts';
import { createChannelRouter } from '../../shared/messaging/router.ts';
import type { TemplateName } from '../../shared/messaging/templates.ts';
import { createZaloClient, ZALO_HOSTS } from '../../shared/messaging/zalo.ts';
import { loadedOnce, readParametersByPath, ssmClient, type SsmClient } from './ssm-parameters.ts';

/**
 * The notices worker's messenger: the channel router over `sms`, with Zalo when configured. The
 * router runs without Zalo too (every message by SMS), for its claims: each message key goes out
 * once however often the queue delivers it.
 */
export function noticeRouter(sms: Messenger, zalo: Config['zalo'], client?: () => SsmClient): Messenger {
  if (zalo) return zaloRouter(sms, zalo, client);
  return createChannelRouter({ sms, prefs: notificationPrefs, sent: sentMessages });
}

export const ZALO_PARAMETERS = { secretKey: 'zalo-secret-key', refreshToken: 'zalo-refresh-token' } as const;

export function zaloRouter(
  sms: Messenger,
  zalo: NonNullable<Config['zalo']>,
  client: () => SsmClient = ssmClient,
): Messenger {
  const credentials = loadedOnce(async () => {
    const found = await readParametersByPath(client(), zalo.ssmPath);
    const secretKey = found.get(ZALO_PARAMETERS.secretKey);
    const refreshToken = found.get(ZALO_PARAMETERS.refreshToken);
    if (!secretKey || !refreshToken) {
      throw new Error(
        `${zalo.ssmPath} lacks ${ZALO_PARAMETERS.secretKey} or ${ZALO_PARAMETERS.refreshToken}`,
      );
    }
    return { secretKey, refreshToken };
  });
  return createChannelRouter({
    sms,
    zalo: createZaloClient({
      appId: zalo.appId,
      credentials,
      templateIds: zalo.templateIds as Partial<Record<TemplateName, string>>,
      tokens: zaloTokens,
      apiUrl: zalo.apiHost ?? ZALO_HOSTS.api,
      oauthUrl: zalo.oauthHost ?? ZALO_HOSTS.oauth,
    }),
    prefs: notificationPrefs,
    sent: sentMessages,
  });
}
