/**
 * A small world for the seller tests: two cooperatives with managers, member households, an
 * independent household, an admin, tokens from an in-memory local issuer, and request helpers.
 */
import { randomInt } from 'node:crypto';
import { createLocalIssuer, type LocalIssuer } from '../../infra/local/auth-issuer.ts';
import { app as producersApp } from '../../functions/producers/app.ts';
import { app as labelsApp } from '../../functions/labels/app.ts';
import { app as authApp } from '../../functions/auth/app.ts';
import { accounts, type Account } from '../../shared/db/accounts.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { producers } from '../../shared/db/producers.ts';

import type { Producer } from '../../shared/domain/producer.ts';
import { localAuthConfig, recompose } from '../../infra/local/services.ts';
import { localUploadTargets, newUploadSecret } from '../../infra/local/dev-services.ts';
import { createMockProducer } from '../fixtures.ts';

export const ISSUER = 'http://127.0.0.1:9/auth';

export interface Actor {
  name: string;
  account: Account;
  token: string;
}

export interface SellerWorld {
  issuer: LocalIssuer;
  coopA: Producer;
  coopB: Producer;
  member: Producer;
  otherMember: Producer;
  independent: Producer;
  actors: Record<'managerA' | 'managerB' | 'member' | 'otherMember' | 'independent' | 'admin', Actor>;
}

let unique = 0;

export async function createSellerWorld(): Promise<SellerWorld> {
  const issuer = await createLocalIssuer(ISSUER);
  recompose({
    auth: localAuthConfig(issuer),
    messenger: devInbox,
    uploadTargets: localUploadTargets(() => 'http://127.0.0.1:9', newUploadSecret()),
  });
  const tag = `${Date.now().toString(36)}${unique++}`;
  // Random Vietnamese mobiles: each world's people have their own phones.
  const phone = (_n: number) => `+849${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
  let n = 0;
  const make = async (overrides: Partial<Producer>) =>
    producers.create(
      createMockProducer({ id: `${overrides.kind ?? 'coop'}-${tag}-${n}`, phone: phone(n++), ...overrides }),
    );
  const coopA = await make({ kind: 'cooperative', name: 'HTX A' });
  const coopB = await make({ kind: 'cooperative', name: 'HTX B' });
  const approved = (coop: Producer) => ({ cooperativeId: coop.id, status: 'approved' as const });
  const member = await make({ kind: 'household', name: 'Hộ thành viên', membership: approved(coopA) });
  const otherMember = await make({
    kind: 'household',
    name: 'Hộ thành viên khác',
    membership: approved(coopA),
  });
  const independent = await make({ kind: 'household', name: 'Hộ độc lập' });
  const actor = async (
    name: string,
    producer: Producer | undefined,
    groups: Account['groups'],
  ): Promise<Actor> => {
    const account = await accounts.create({
      sub: `${name}-${tag}`,
      phone: producer?.phone ?? phone(n++),
      groups,
      ...(producer ? { producerId: producer.id } : {}),
      createdAt: new Date().toISOString(),
    });
    return { name, account, token: (await issuer.sign(account)).accessToken };
  };
  return {
    issuer,
    coopA,
    coopB,
    member,
    otherMember,
    independent,
    actors: {
      managerA: await actor('managerA', coopA, ['producer', 'coop_manager']),
      managerB: await actor('managerB', coopB, ['producer', 'coop_manager']),
      member: await actor('member', member, ['producer']),
      otherMember: await actor('otherMember', otherMember, ['producer']),
      independent: await actor('independent', independent, ['producer']),
      admin: await actor('admin', undefined, ['admin']),
    },
  };
}

export async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  // A lot's label is the labels function's; everything else here, the producers function's.
  const target = path.startsWith('/api/auth/')
    ? authApp
    : /^\/api\/seller\/lots\/[^/]+\/label/.test(path)
      ? labelsApp
      : producersApp;
  const res = await target.request(path, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are probed by each test's assertions
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (labels)
  }
  return { status: res.status, body };
}
