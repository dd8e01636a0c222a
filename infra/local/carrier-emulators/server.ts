/**
 * Serves the carriers' emulators on one port (`npm start` beside the VNPay emulator; the tests on
 * a free port), and the provider settings that point at them.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { CarrierSettings } from '../../../shared/carriers/index.ts';
import { createCarrierEmulator, type CarrierEmulator, type CarrierEmulatorOptions } from './emulator.ts';

/** The emulators' credentials (never real ones). */
export const EMULATOR_TOKENS: CarrierEmulatorOptions['tokens'] = {
  ghn: { api: 'ghn-dev-token-emulator', webhook: 'ghn-dev-webhook-token' },
  ghtk: { api: 'ghtk-dev-token-emulator', webhook: 'ghtk-dev-webhook-token' },
};
export const EMULATOR_GHN_SHOP_ID = '885';

export interface StartCarrierEmulatorsOptions extends Partial<CarrierEmulatorOptions> {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningCarrierEmulators {
  /** The control page. */
  url: string;
  /** Each carrier's host as its provider takes it. */
  hosts: { ghn: string; ghtk: string };
  emulator: CarrierEmulator;
  /** Provider settings pointing at the emulators, with their tokens. */
  settings(extra?: { timeoutMs?: number }): CarrierSettings;
  stop(): Promise<void>;
}

export async function startCarrierEmulators(
  options: StartCarrierEmulatorsOptions = {},
): Promise<RunningCarrierEmulators> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const emulator = createCarrierEmulator({ tokens: EMULATOR_TOKENS, ...rest });
  const server = await new Promise<ServerType>((ready, fail) => {
    const s = serve({ fetch: emulator.app.fetch, port, hostname: host }, () => ready(s));
    s.once('error', fail);
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const hosts = { ghn: `${url}/ghn`, ghtk: `${url}/ghtk` };
  const tokens = emulator.options.tokens;
  return {
    url,
    hosts,
    emulator,
    settings: (extra = {}) => ({
      ghn: {
        baseUrl: hosts.ghn,
        token: tokens.ghn.api,
        webhookToken: tokens.ghn.webhook,
        shopId: EMULATOR_GHN_SHOP_ID,
        ...extra,
      },
      ghtk: {
        baseUrl: hosts.ghtk,
        token: tokens.ghtk.api,
        webhookToken: tokens.ghtk.webhook,
        ...extra,
      },
    }),
    stop: () => {
      emulator.stop();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}
