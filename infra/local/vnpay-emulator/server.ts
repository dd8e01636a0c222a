/** Serves the VNPay emulator on its own port (the local runtime and the integration tests use it). */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createVnpayEmulator, type VnpayEmulator, type VnpayEmulatorOptions } from './emulator.ts';

export interface StartVnpayEmulatorOptions extends VnpayEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningVnpayEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`: the pay URL is `${url}/paymentv2/vpcpay.html`. */
  url: string;
  emulator: VnpayEmulator;
  stop(): Promise<void>;
}

export async function startVnpayEmulator(options: StartVnpayEmulatorOptions): Promise<RunningVnpayEmulator> {
  const { port = 0, host = '127.0.0.1', ...emulatorOptions } = options;
  const emulator = createVnpayEmulator(emulatorOptions);
  const server = await new Promise<ServerType>((ready, fail) => {
    const s = serve({ fetch: emulator.app.fetch, port, hostname: host }, () => ready(s));
    s.once('error', fail);
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    emulator,
    stop: () => {
      emulator.stop();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}
