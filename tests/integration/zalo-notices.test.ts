/**
 * Zalo ZNS notices beside SMS, against the ZNS emulator over HTTP and DynamoDB Local: the
 * preferred channel (setNotificationChannel) is stored and used; a phone without Zalo gets the
 * SMS once; an expired access token is refreshed and the rotated refresh token kept in the
 * table; a send retried after a crash or a timeout gives one notice in total.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { notificationPrefs } from '../../shared/db/notification-prefs.ts';
import { sentMessages } from '../../shared/db/sent-messages.ts';
import { zaloTokens } from '../../shared/db/zalo-token.ts';
import type { Messenger, OutgoingMessage } from '../../shared/messaging/messenger.ts';
import { createChannelRouter, messageKey } from '../../shared/messaging/router.ts';
import { template } from '../../shared/messaging/templates.ts';
import { createZaloClient } from '../../shared/messaging/zalo.ts';
import { notifyListingDecision } from '../../shared/seller/notifications.ts';
import { recompose } from '../../infra/local/services.ts';
import {
  emulatorMessenger,
  recordInDevInbox,
  startZaloEmulator,
  ZALO_EMULATOR_APP,
  ZALO_EMULATOR_TEMPLATE_IDS,
  type RunningZaloEmulator,
} from '../../infra/local/zalo-emulator.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

const NO_ZALO = '+84399000111';
let world: SellerWorld;
let zalo: RunningZaloEmulator;

const newPhone = () => `+849${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
const inboxOf = async (phone: string) => (await devInbox.list(200)).filter((m) => m.to === phone);
const deliveredTo = (phone: string) => zalo.emulator.delivered.filter((d) => `+${d.phone}` === phone);

const notice = (to: string, code = `TN${randomInt(100_000, 999_999)}`): OutgoingMessage => ({
  to,
  kind: 'notification',
  text: `Sàn OCOP Thái Nguyên: đơn ${code} đã giao thành công. Cảm ơn bạn!`,
  template: template('order_delivered', { order_code: code }),
});

beforeAll(async () => {
  world = await createSellerWorld();
  zalo = await startZaloEmulator({ noZaloPhones: [NO_ZALO], onMessage: recordInDevInbox });
  recompose({ messenger: emulatorMessenger(zalo, { timeoutMs: 400 }) });
});
afterAll(() => zalo?.stop());

describe('setNotificationChannel', () => {
  it('stores the signed-in person’s channel, by their phone, and answers it back', async () => {
    const token = world.actors.member.token;
    expect((await call('GET', '/api/me/notification-channel', { token })).body).toEqual({
      channel: 'sms',
      phone: world.member.phone,
    });
    const set = await call('PUT', '/api/me/notification-channel', { token, body: { channel: 'zalo' } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ channel: 'zalo', phone: world.member.phone });
    expect(await notificationPrefs.get(world.member.phone)).toBe('zalo');
    expect((await call('GET', '/api/me/notification-channel', { token })).body.channel).toBe('zalo');
  });

  it('refuses unknown fields, other channels and callers without a token, changing nothing', async () => {
    const token = world.actors.otherMember.token;
    const unknown = await call('PUT', '/api/me/notification-channel', {
      token,
      body: { channel: 'zalo', phone: '+84912345678' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('Trường không được chấp nhận');
    const other = await call('PUT', '/api/me/notification-channel', { token, body: { channel: 'email' } });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain('Kênh nhận thông báo phải là');
    const empty = await call('PUT', '/api/me/notification-channel', { token, body: {} });
    expect(empty.status).toBe(400);
    const anonymous = await call('PUT', '/api/me/notification-channel', { body: { channel: 'zalo' } });
    expect(anonymous.status).toBe(401);
    expect(await notificationPrefs.get(world.otherMember.phone)).toBe('sms');
  });
});

describe('the channel router', () => {
  it('sends by Zalo to whoever chose it, and by SMS to everyone else', async () => {
    // The member chose Zalo above; a listing decision reaches them as a ZNS message.
    await notifyListingDecision(world.member, { id: 'p-zalo', name: { vi: 'Chè Tân Cương' } }, 'approve');
    const member = await inboxOf(world.member.phone);
    expect(member.map((m) => m.channel)).toEqual(['zalo']);
    expect(member[0]!.text).toContain('Chè Tân Cương');
    expect(deliveredTo(world.member.phone)).toHaveLength(1);
    expect(deliveredTo(world.member.phone)[0]!.templateId).toBe(ZALO_EMULATOR_TEMPLATE_IDS.listing_decision);

    await notifyListingDecision(world.otherMember, { id: 'p-sms', name: { vi: 'Chè móc câu' } }, 'approve');
    const other = await inboxOf(world.otherMember.phone);
    expect(other.map((m) => m.channel)).toEqual(['sms']);
    expect(deliveredTo(world.otherMember.phone)).toHaveLength(0);
  });

  it('sends the SMS once when the phone has no Zalo account, also when the send is retried', async () => {
    await notificationPrefs.set(NO_ZALO, 'zalo');
    const message = notice(NO_ZALO);
    const router = emulatorMessenger(zalo);
    await router.send(message);
    await router.send(message);
    const inbox = await inboxOf(NO_ZALO);
    expect(inbox.map((m) => m.channel)).toEqual(['sms']);
    expect(inbox[0]!.text).toBe(message.text);
    expect(zalo.emulator.refused.filter((r) => `+${r.phone}` === NO_ZALO).map((r) => r.error)).toEqual([
      -118,
    ]);
  });

  it('refreshes an expired access token, sends, and keeps the rotated refresh token in the table', async () => {
    const phone = newPhone();
    await notificationPrefs.set(phone, 'zalo');
    const router = emulatorMessenger(zalo);
    await router.send(notice(phone)); // a token exists from here on
    const before = await zaloTokens.get();
    const refreshesBefore = zalo.emulator.refreshes();

    zalo.emulator.expireAccessTokens();
    await router.send(notice(phone));
    expect(zalo.emulator.refreshes()).toBe(refreshesBefore + 1);
    expect(deliveredTo(phone)).toHaveLength(2);
    const after = await zaloTokens.get();
    expect(after!.refreshToken).toBe(zalo.emulator.currentRefreshToken());
    expect(after!.refreshToken).not.toBe(before!.refreshToken);
    expect(after!.version).toBe(before!.version + 1);

    // Another container (a new client over the same table) uses the stored token: no refresh,
    // and none with the spent refresh token it was configured with.
    await emulatorMessenger(zalo).send(notice(phone));
    expect(zalo.emulator.refreshes()).toBe(refreshesBefore + 1);
    expect(deliveredTo(phone)).toHaveLength(3);
    expect((await inboxOf(phone)).every((m) => m.channel === 'zalo')).toBe(true);
  });

  it('gives one notice in total when a send that crashed before its record is retried', async () => {
    const phone = newPhone();
    await notificationPrefs.set(phone, 'zalo');
    // The process dies right after Zalo accepted the message, before it is recorded as sent.
    let crash = true;
    const crashing = {
      ...sentMessages,
      async markSent(key: string, channel: 'sms' | 'zalo', detail?: string) {
        if (crash) {
          crash = false;
          throw new Error('process died');
        }
        await sentMessages.markSent(key, channel, detail);
      },
    };
    const router = (staleAfterMs: number) =>
      createChannelRouter({
        sms: devInbox,
        zalo: createZaloClient({
          appId: ZALO_EMULATOR_APP.appId,
          credentials: {
            secretKey: ZALO_EMULATOR_APP.secretKey,
            refreshToken: ZALO_EMULATOR_APP.refreshToken,
          },
          templateIds: ZALO_EMULATOR_TEMPLATE_IDS,
          tokens: zaloTokens,
          apiUrl: zalo.url,
          oauthUrl: zalo.url,
        }),
        prefs: notificationPrefs,
        sent: crashing,
        staleAfterMs,
      });
    const message = notice(phone);
    await expect(router(60_000).send(message)).rejects.toThrow('process died');
    // Retried at once (a redelivered job, a second worker): neither channel sends again.
    await router(60_000).send(message);
    await router(60_000).send(message);
    expect(deliveredTo(phone)).toHaveLength(1);
    expect(await inboxOf(phone)).toHaveLength(1);
    expect((await inboxOf(phone))[0]!.channel).toBe('zalo');

    // Past the claim's lease (longer than a send may take), retries may take it over: only one
    // of three concurrent ones does (the one duplicate the protocol allows, on the same channel),
    // and none by SMS.
    await new Promise((done) => setTimeout(done, 2_100));
    await Promise.all([
      router(2_000).send(message),
      router(2_000).send(message),
      router(2_000).send(message),
    ]);
    expect(deliveredTo(phone)).toHaveLength(2);
    expect((await inboxOf(phone)).filter((m) => m.channel === 'sms')).toHaveLength(0);
    await router(2_000).send(message);
    expect(deliveredTo(phone)).toHaveLength(2);
  });

  it('falls back to SMS once when Zalo times out, and a retry of the whole send sends nothing more', async () => {
    const phone = newPhone();
    await notificationPrefs.set(phone, 'zalo');
    const message = notice(phone);
    zalo.emulator.setSendDelay(800);
    try {
      await emulatorMessenger(zalo, { timeoutMs: 300 }).send(message);
      await emulatorMessenger(zalo, { timeoutMs: 300 }).send(message);
    } finally {
      zalo.emulator.setSendDelay(0);
    }
    await new Promise((done) => setTimeout(done, 700)); // the late Zalo answer lands
    await emulatorMessenger(zalo, { timeoutMs: 300 }).send(message);
    const sms = (await inboxOf(phone)).filter((m) => m.channel === 'sms');
    expect(sms).toHaveLength(1);
    // Zalo was tried once only (its late delivery is the one both-channel case, see router.ts).
    expect(deliveredTo(phone).length).toBeLessThanOrEqual(1);
    expect(await sentMessages.states(messageKey(message))).toEqual({
      zalo: 'failed',
      sms: 'sent',
    });
  });

  it('sends the SMS on a retry after the SMS gateway failed, and tries Zalo only once', async () => {
    const phone = newPhone();
    await notificationPrefs.set(phone, 'zalo');
    let down = true;
    const flakySms: Messenger = {
      async send(message) {
        if (down) {
          down = false;
          throw new Error('SMS gateway unavailable');
        }
        await devInbox.send(message);
      },
    };
    // A second emulator (another OA) on which this phone has no Zalo account.
    const blocked = await startZaloEmulator({ noZaloPhones: [phone], onMessage: recordInDevInbox });
    try {
      const router = () => emulatorMessenger(blocked, { sms: flakySms });
      const message = notice(phone);
      await zaloTokens.clear();
      await expect(router().send(message)).rejects.toThrow('SMS gateway unavailable');
      await router().send(message);
      await router().send(message);
      expect((await inboxOf(phone)).map((m) => m.channel)).toEqual(['sms']);
      expect(blocked.emulator.refused.map((r) => r.error)).toEqual([-118]);
    } finally {
      await blocked.stop();
      await zaloTokens.clear();
    }
  });
});
