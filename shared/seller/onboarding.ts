/**
 * How producers get onto the exchange: sign-up, asking to join a cooperative, the manager's
 * decision, an admin's verification. Every decision is written with its audit entry in one
 * transaction.
 */
import { linkAccountToProducer } from '../db/accounts.ts';
import { auditPut, type AuditEntry } from '../db/audit.ts';
import { db } from '../db/client.ts';
import { newId } from '../db/items.ts';
import { producers } from '../db/producers.ts';
import { conflict, forbidden, notFound } from '../domain/errors.ts';
import {
  canDecideMembership,
  canVerifyProducer,
  isAdmin,
  managedCooperativeId,
  type Principal,
} from '../domain/permissions.ts';
import type { Producer } from '../domain/producer.ts';
import type { Decision, SignUpProducerBody } from '../domain/seller.ts';
import { slugify } from '../domain/text.ts';

const now = () => new Date().toISOString();

export function actorRole(p: Principal, subjectProducerId: string): AuditEntry['actor']['role'] {
  if (p.producer?.id === subjectProducerId) return 'self';
  if (isAdmin(p)) return 'admin';
  return managedCooperativeId(p) ? 'cooperative_manager' : 'self';
}

export async function requireProducer(id: string): Promise<Producer> {
  const producer = await producers.get(id);
  if (!producer) throw notFound('producer.not_found', 'Không tìm thấy nhà sản xuất / Producer not found');
  return producer;
}

/** Signs the caller up as a producer; pending until verified (or, for a household, approved by its cooperative). */
export async function signUpProducer(p: Principal, body: SignUpProducerBody): Promise<Producer> {
  if (p.producer)
    throw conflict('producer.already_signed_up', 'Tài khoản đã đăng ký nhà sản xuất / Already signed up');
  const at = now();
  const id = newId();
  const base = slugify(body.name) || 'nha-san-xuat';
  const producer: Producer = {
    id,
    slug: (await producers.getBySlug(base)) ? `${base}-${id.slice(-5)}` : base,
    kind: body.kind,
    name: body.name,
    phone: p.phone,
    address: body.address,
    ...(body.description ? { description: body.description } : {}),
    verification: { status: 'pending' },
    createdAt: at,
    updatedAt: at,
  };
  const { tableName } = db();
  await producers.create(producer, [
    linkAccountToProducer(
      p.sub,
      id,
      body.kind === 'cooperative' ? ['producer', 'coop_manager'] : ['producer'],
    ),
    auditPut(tableName, id, {
      at,
      actor: { sub: p.sub, role: 'self' },
      action: 'producer.signed_up',
      subject: { type: 'producer', id, name: producer.name },
    }),
  ]);
  return producer;
}

/** A household asks to join a verified cooperative. */
export async function requestMembership(
  p: Principal,
  householdId: string,
  cooperativeSlug: string,
): Promise<Producer> {
  const household = p.producer;
  if (!household || household.id !== householdId) {
    throw forbidden(
      'membership.not_yours',
      'Chỉ hộ sản xuất tự xin gia nhập / Only the household itself can ask',
    );
  }
  if (household.kind !== 'household') {
    throw conflict(
      'membership.not_household',
      'Chỉ hộ sản xuất mới gia nhập hợp tác xã / Only households join cooperatives',
    );
  }
  if (household.membership && household.membership.status !== 'rejected') {
    throw conflict(
      'membership.exists',
      'Đã có yêu cầu hoặc đã là thành viên / Already requested or a member',
    );
  }
  const coop = await producers.getBySlug(cooperativeSlug);
  if (!coop || coop.kind !== 'cooperative' || coop.verification.status !== 'verified') {
    throw notFound(
      'cooperative.not_found',
      'Không tìm thấy hợp tác xã đã xác minh / No verified cooperative with that name',
    );
  }
  const at = now();
  const next: Producer = {
    ...household,
    membership: { cooperativeId: coop.id, status: 'requested' },
    updatedAt: at,
  };
  return producers.save(next, household, [
    auditPut(db().tableName, household.id, {
      at,
      actor: { sub: p.sub, role: 'self' },
      action: 'membership.requested',
      subject: { type: 'producer', id: household.id, name: household.name },
      details: { cooperativeId: coop.id, cooperativeName: coop.name },
    }),
  ]);
}

/** The cooperative's manager approves (the household becomes verified) or rejects with a reason. */
export async function decideMembership(
  p: Principal,
  householdId: string,
  decision: Decision,
): Promise<Producer> {
  const household = await requireProducer(householdId);
  if (!canDecideMembership(p, household)) {
    throw forbidden(
      'membership.not_your_cooperative',
      'Chỉ quản lý hợp tác xã đó được quyết định / Only that cooperative’s manager decides',
    );
  }
  if (household.membership?.status !== 'requested') {
    throw conflict('membership.not_requested', 'Không có yêu cầu gia nhập đang chờ / No pending request');
  }
  const at = now();
  const approved = decision.decision === 'approve';
  const next: Producer = {
    ...household,
    membership: { ...household.membership, status: approved ? 'approved' : 'rejected', decidedAt: at },
    verification: approved ? { status: 'verified', decidedAt: at, decidedBy: p.sub } : household.verification,
    updatedAt: at,
  };
  return producers.save(next, household, [
    auditPut(db().tableName, household.id, {
      at,
      actor: { sub: p.sub, role: 'cooperative_manager' },
      action: approved ? 'membership.approved' : 'membership.rejected',
      subject: { type: 'producer', id: household.id, name: household.name },
      ...(decision.reason ? { reason: decision.reason } : {}),
    }),
  ]);
}

/** An admin verifies or rejects a producer (cooperatives, enterprises, independent households). */
export async function decideProducer(
  p: Principal,
  producerId: string,
  decision: Decision,
): Promise<Producer> {
  if (!canVerifyProducer(p))
    throw forbidden('producer.admins_only', 'Chỉ quản trị viên xác minh / Admins only');
  const producer = await requireProducer(producerId);
  if (producer.verification.status !== 'pending') {
    throw conflict('producer.already_decided', 'Nhà sản xuất này đã được quyết định / Already decided');
  }
  const at = now();
  const approved = decision.decision === 'approve';
  const next: Producer = {
    ...producer,
    verification: {
      status: approved ? 'verified' : 'rejected',
      decidedAt: at,
      decidedBy: p.sub,
      ...(decision.reason ? { reason: decision.reason } : {}),
    },
    updatedAt: at,
  };
  return producers.save(next, producer, [
    auditPut(db().tableName, producer.id, {
      at,
      actor: { sub: p.sub, role: 'admin' },
      action: approved ? 'producer.verified' : 'producer.rejected',
      subject: { type: 'producer', id: producer.id, name: producer.name },
      ...(decision.reason ? { reason: decision.reason } : {}),
    }),
  ]);
}
