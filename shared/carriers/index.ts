/**
 * The carriers a process has, from settings: each carrier with credentials becomes a provider,
 * and the manual carrier is always there. The composition roots build the settings (locally:
 * the emulators' URLs; in AWS: the hosts from the environment and the tokens from SSM).
 */
import { createGhnProvider, type GhnSettings } from './ghn.ts';
import { createManualProvider } from './manual.ts';
import type { Carriers } from './types.ts';

export interface CarrierSettings {
  ghn?: GhnSettings;
}

export function createCarriers(settings: CarrierSettings): Carriers {
  return {
    manual: createManualProvider(),
    ...(settings.ghn ? { ghn: createGhnProvider(settings.ghn) } : {}),
  };
}

export { CARRIER_NAMES } from './common.ts';
export * from './types.ts';
