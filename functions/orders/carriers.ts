/**
 * The carriers the orders function and the job workers use, in AWS: hosts from the environment
 * (GHN_HOST, GHTK_HOST, set by the CDK app; the carriers' production hosts by default), tokens
 * from SSM Parameter Store under `CARRIERS_SSM_PATH` (SecureString, decrypted), read on first use
 * and kept for the container (a failed read is tried again by the next call), like payments.
 *
 * Parameters under the path: `ghn-token`, `ghn-webhook-token`, `ghtk-token`,
 * `ghtk-webhook-token`. A carrier is offered only with both of its tokens; without
 * `CARRIERS_SSM_PATH` only the manual carrier is (a cooperative that chose GHN then gets a clear
 * refusal at checkout, not a failure).
 */
import { createCarriers, type CarrierSettings } from '../../shared/carriers/index.ts';
import type { Carriers } from '../../shared/carriers/types.ts';
import { loadedOnce, readParametersByPath, ssmClient, type SsmClient } from '../adapters/ssm-parameters.ts';

export const CARRIER_HOSTS = {
  ghn: 'https://online-gateway.ghn.vn',
  ghtk: 'https://services.giaohangtietkiem.vn',
} as const;

/** SSM parameter names (under `CARRIERS_SSM_PATH`) of each carrier's secrets. */
export const CARRIER_PARAMETERS = {
  ghn: { token: 'ghn-token', webhookToken: 'ghn-webhook-token' },
  ghtk: { token: 'ghtk-token', webhookToken: 'ghtk-webhook-token' },
} as const;

export interface SsmCarriersInput {
  /** Unset: the manual carrier only. */
  ssmPath?: string;
  ghnHost?: string;
  ghnShopId?: string;
  ghtkHost?: string;
  ghtkClientSource?: string;
  client?: SsmClient;
}

export function carriersFromSsm(input: SsmCarriersInput): () => Promise<Carriers> {
  return loadedOnce(() => load(input));
}

async function load(input: SsmCarriersInput): Promise<Carriers> {
  if (!input.ssmPath) return createCarriers({});
  const found = await readParametersByPath(input.client ?? ssmClient(), input.ssmPath);
  const settings: CarrierSettings = {};
  const ghn = CARRIER_PARAMETERS.ghn;
  if (found.get(ghn.token) && found.get(ghn.webhookToken)) {
    settings.ghn = {
      baseUrl: input.ghnHost ?? CARRIER_HOSTS.ghn,
      token: found.get(ghn.token)!,
      webhookToken: found.get(ghn.webhookToken)!,
      ...(input.ghnShopId ? { shopId: input.ghnShopId } : {}),
    };
  }
  const ghtk = CARRIER_PARAMETERS.ghtk;
  if (found.get(ghtk.token) && found.get(ghtk.webhookToken)) {
    settings.ghtk = {
      baseUrl: input.ghtkHost ?? CARRIER_HOSTS.ghtk,
      token: found.get(ghtk.token)!,
      webhookToken: found.get(ghtk.webhookToken)!,
      ...(input.ghtkClientSource ? { clientSource: input.ghtkClientSource } : {}),
    };
  }
  return createCarriers(settings);
}
