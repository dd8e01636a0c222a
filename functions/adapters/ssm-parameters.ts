/**
 * Secrets from SSM Parameter Store, as the payment SDK and the carriers read them in AWS: every
 * parameter under a path (SecureStrings decrypted), by the last part of its name, loaded on first
 * use and kept for the container.
 */
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { instrumentClient } from '../../shared/observability/clients.ts';

export type SsmClient = Pick<SSMClient, 'send'>;

/** The process's SSM client, traced like the other AWS clients. */
export const ssmClient = (): SsmClient => instrumentClient(new SSMClient({}));

/** Every parameter under `path`, by the last part of its name (all pages). */
export async function readParametersByPath(client: SsmClient, path: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new GetParametersByPathCommand({ Path: path, WithDecryption: true, NextToken }),
    );
    for (const p of page.Parameters ?? [])
      if (p.Name && p.Value) found.set(p.Name.split('/').at(-1)!, p.Value);
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** `load` run once per container; a failed load is tried again by the next call, not kept. */
export function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined; // a later request retries rather than failing forever
      throw error;
    });
    return loaded;
  };
}
