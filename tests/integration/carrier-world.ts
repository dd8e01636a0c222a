/**
 * The carriers of the integration tests: the GHN/GHTK emulators over HTTP, started on a free
 * port on first use (a test file that never asks for a carrier starts nothing) and the providers
 * pointing at them. Every test file's services (setup.ts) get `carriers` from here; a test that
 * needs the emulators' webhooks to reach a receiver of its own points them there with
 * `emulator.setSiteUrl(…)`.
 */
import { createCarriers } from '../../shared/carriers/index.ts';
import type { Carriers } from '../../shared/carriers/types.ts';
import {
  startCarrierEmulators,
  type RunningCarrierEmulators,
} from '../../infra/local/carrier-emulators/index.ts';

/** Short enough for a timeout test to be quick, long enough for a loaded machine. */
export const TEST_CARRIER_TIMEOUT_MS = 2_000;

let running: Promise<RunningCarrierEmulators> | undefined;
let carriers: Promise<Carriers> | undefined;

/** The test file's emulators (started on first call). */
export function testCarrierEmulators(): Promise<RunningCarrierEmulators> {
  running ??= startCarrierEmulators({ webhookRetryMs: 20, webhookTimeoutMs: 2_000 });
  return running;
}

/** The providers against the test file's emulators (the `carriers` service of setup.ts). */
export function testCarriers(): Promise<Carriers> {
  carriers ??= testCarrierEmulators().then((e) =>
    createCarriers(e.settings({ timeoutMs: TEST_CARRIER_TIMEOUT_MS })),
  );
  return carriers;
}

/** Stops the emulators if this file started them. */
export async function stopTestCarriers(): Promise<void> {
  const started = running;
  running = undefined;
  carriers = undefined;
  if (started) await (await started).stop();
}
