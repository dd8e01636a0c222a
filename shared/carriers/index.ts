/**
 * The carriers a process has, from settings: each carrier with credentials becomes a provider,
 * and the manual carrier is always there. The composition roots build the settings (locally:
 * the emulators' URLs; in AWS: the hosts from the environment and the tokens from SSM).
 */
import { createGhnProvider, type GhnSettings } from './ghn.ts';
import { createGhtkProvider, type GhtkSettings } from './ghtk.ts';
import { createManualProvider } from './manual.ts';
import type { Carriers } from './types.ts';

export interface CarrierSettings {
  ghn?: GhnSettings;
  ghtk?: GhtkSettings;
}

export function createCarriers(settings: CarrierSettings): Carriers {
  return {
    manual: createManualProvider(),
    ...(settings.ghn ? { ghn: createGhnProvider(settings.ghn) } : {}),
    ...(settings.ghtk ? { ghtk: createGhtkProvider(settings.ghtk) } : {}),
  };
}

export { CARRIER_NAMES } from './common.ts';
export * from './types.ts';
