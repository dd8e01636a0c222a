/**
 * Lots and OCOP certificates of a listing: what a shopper's trust rests on. Sellers (or their
 * cooperative's manager) add them; only admins verify certificates.
 */
import { randomInt } from 'node:crypto';
import { auditPut } from '../db/audit.ts';
import { db } from '../db/client.ts';
import { concurrentChange, newId } from '../db/items.ts';
import { certificatesToVerify, decideCertificate, putNewCertificate, putNewLot } from '../db/listings.ts';
import { transactWrite } from '../db/retry.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
import { Lot } from '../domain/lot.ts';
import { isOcopValid, ocopExpiresOn, OcopCertificate } from '../domain/ocop.ts';
import { canVerifyCertificate, cooperativeOf, type Principal } from '../domain/permissions.ts';
import type { Decision } from '../domain/seller.ts';
import { listingForWriter, listSellerProducts, loadListing } from './listings.ts';
import { actorRole, requireProducer } from './onboarding.ts';

const TRACE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** "TN2603-7K3Q9": harvest year and month, then five characters that cannot be misread. */
export function newTraceCode(harvestDate: string): string {
  const suffix = Array.from({ length: 5 }, () => TRACE_ALPHABET[randomInt(0, TRACE_ALPHABET.length)]).join(
    '',
  );
  return `TN${harvestDate.slice(2, 4)}${harvestDate.slice(5, 7)}-${suffix}`;
}

export async function createLot(
  p: Principal,
  productId: string,
  body: {
    harvestDate: string;
    season: string;
    growingAreaCode: string;
    certifications: Lot['certifications'];
    householdId?: string;
  },
): Promise<Lot> {
  const listing = await listingForWriter(p, productId);
  const householdId = body.householdId ?? listing.seller.id;
  if (householdId !== listing.seller.id) {
    // A cooperative's listing may name one of its member households as the grower.
    const household = await requireProducer(householdId);
    if (listing.seller.kind !== 'cooperative' || cooperativeOf(household) !== listing.seller.id) {
      throw invalid(
        'lot.household_not_member',
        'Hộ trồng phải là thành viên của hợp tác xã / The household must be a member',
      );
    }
  }
  if (body.harvestDate > new Date().toISOString().slice(0, 10)) {
    throw invalid('lot.future_harvest', 'Ngày thu hái không thể ở tương lai / Harvest date is in the future');
  }
  const lot = Lot.parse({
    id: newId(),
    productId,
    householdId,
    traceCode: newTraceCode(body.harvestDate),
    harvestDate: body.harvestDate,
    season: body.season,
    growingAreaCode: body.growingAreaCode,
    certifications: body.certifications,
    createdAt: new Date().toISOString(),
  });
  await transactWrite([
    putNewLot(lot),
    auditPut(db().tableName, listing.seller.id, {
      at: lot.createdAt,
      actor: { sub: p.sub, role: actorRole(p, listing.seller.id) },
      action: 'lot.created',
      subject: { type: 'lot', id: lot.traceCode, name: listing.product.name.vi },
    }),
  ]);
  return lot;
}

export async function addOcopCertificate(
  p: Principal,
  productId: string,
  body: {
    stars: 3 | 4 | 5;
    decisionNumber: string;
    decisionDate: string;
    issuer: string;
    scanPhotoId?: string;
  },
): Promise<OcopCertificate> {
  const listing = await listingForWriter(p, productId);
  if (body.scanPhotoId && !listing.photos.some((photo) => photo.photoId === body.scanPhotoId)) {
    throw invalid(
      'ocop.unknown_scan',
      'Ảnh chứng nhận chưa được tải lên / Upload the certificate scan first',
    );
  }
  const cert = OcopCertificate.parse({ id: newId(), productId, ...body, verified: false });
  await transactWrite([
    putNewCertificate(cert),
    auditPut(db().tableName, listing.seller.id, {
      at: new Date().toISOString(),
      actor: { sub: p.sub, role: actorRole(p, listing.seller.id) },
      action: 'ocop.added',
      subject: { type: 'certificate', id: cert.id, name: `${cert.stars}★ ${cert.decisionNumber}` },
    }),
  ]);
  return cert;
}

export async function verifyOcopCertificate(
  p: Principal,
  productId: string,
  certificateId: string,
  decision: Decision,
): Promise<OcopCertificate> {
  if (!canVerifyCertificate(p))
    throw forbidden('ocop.admins_only', 'Chỉ quản trị viên xác minh chứng nhận / Admins only');
  const listing = await loadListing(productId);
  const cert = listing.certificates.find((c) => c.id === certificateId);
  if (!cert) throw notFound('ocop.not_found', 'Không tìm thấy chứng nhận / Certificate not found');
  if (cert.verified || cert.review)
    throw conflict('ocop.already_decided', 'Chứng nhận đã được quyết định / Already decided');
  const at = new Date().toISOString();
  const approved = decision.decision === 'approve';
  const next: OcopCertificate = {
    ...cert,
    verified: approved,
    ...(approved ? { verifiedAt: at } : {}),
    review: {
      decision: decision.decision,
      ...(decision.reason ? { reason: decision.reason } : {}),
      at,
      by: p.sub,
    },
  };
  await transactWrite([
    decideCertificate(next),
    auditPut(db().tableName, listing.seller.id, {
      at,
      actor: { sub: p.sub, role: 'admin' },
      action: approved ? 'ocop.verified' : 'ocop.rejected',
      subject: { type: 'certificate', id: cert.id, name: `${cert.stars}★ ${cert.decisionNumber}` },
      ...(decision.reason ? { reason: decision.reason } : {}),
    }),
  ]).catch(concurrentChange('certificate'));
  return next;
}

/** Certificates awaiting an admin (the reviewQueue index). */
export async function listCertificatesToVerify(p: Principal): Promise<OcopCertificate[]> {
  if (!canVerifyCertificate(p)) throw forbidden('ocop.admins_only', 'Chỉ quản trị viên / Admins only');
  return certificatesToVerify();
}

export const EXPIRY_WARNING_DAYS = 60;

/** Valid certificates of the caller's listings (a manager's include members') expiring within 60 days. */
export async function listExpiringCertificates(p: Principal, today = new Date().toISOString().slice(0, 10)) {
  const listings = await listSellerProducts(p, 'mine');
  const horizon = new Date(Date.parse(today) + EXPIRY_WARNING_DAYS * 86_400_000).toISOString().slice(0, 10);
  return listings
    .flatMap((listing) =>
      listing.certificates
        .filter((cert) => isOcopValid(cert, today) && ocopExpiresOn(cert.decisionDate) <= horizon)
        .map((cert) => {
          const expiresOn = ocopExpiresOn(cert.decisionDate);
          return {
            productId: listing.id,
            productName: listing.name.vi,
            producer: listing.producer,
            certificateId: cert.id,
            stars: cert.stars,
            decisionNumber: cert.decisionNumber,
            expiresOn,
            daysLeft: Math.round((Date.parse(expiresOn) - Date.parse(today)) / 86_400_000),
          };
        }),
    )
    .sort((a, b) => a.daysLeft - b.daysLeft);
}
