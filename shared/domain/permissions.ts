/**
 * Who may do what, as pure functions of the caller and the objects involved. Every route that
 * takes an id loads the object and asks here; tests/integration/ownership.test.ts holds the
 * whole allow/deny table.
 */
import type { Producer } from './producer.ts';

export interface Principal {
  sub: string;
  phone: string;
  groups: readonly string[];
  /** The producer this person acts for, if they signed up as one. */
  producer?: Producer;
}

export const isAdmin = (p: Principal): boolean => p.groups.includes('admin');

/** The verified cooperative this person manages, if any. */
export function managedCooperativeId(p: Principal): string | undefined {
  const producer = p.producer;
  return producer?.kind === 'cooperative' && producer.verification.status === 'verified'
    ? producer.id
    : undefined;
}

/** The cooperative a household belongs to (approved membership only). */
export function cooperativeOf(producer: Producer): string | undefined {
  return producer.membership?.status === 'approved' ? producer.membership.cooperativeId : undefined;
}

/** Is the caller the manager of the seller's cooperative? (proxy listing, member review) */
export function managesMember(p: Principal, seller: Producer): boolean {
  const coop = managedCooperativeId(p);
  return coop !== undefined && seller.kind === 'household' && cooperativeOf(seller) === coop;
}

/** Edit a listing, its packs, stock, photos, lots and certificates: the seller or its manager. */
export function canManageListings(p: Principal, seller: Producer): boolean {
  return p.producer?.id === seller.id || managesMember(p, seller);
}

/** Who reviews a seller's listings: its cooperative's manager, or an admin for independents. */
export function listingReviewer(seller: Producer): 'cooperative' | 'admin' {
  return cooperativeOf(seller) ? 'cooperative' : 'admin';
}

/** Approve or reject a listing in review. Admins moderate every listing. */
export function canDecideListing(p: Principal, seller: Producer): boolean {
  if (isAdmin(p)) return true;
  return listingReviewer(seller) === 'cooperative' && managesMember(p, seller);
}

/** Approve or reject a household's request to join a cooperative. */
export function canDecideMembership(p: Principal, household: Producer): boolean {
  const coop = managedCooperativeId(p);
  return coop !== undefined && household.membership?.cooperativeId === coop;
}

/** Verify producers: admins (a cooperative verifies its households by approving membership). */
export const canVerifyProducer = (p: Principal): boolean => isAdmin(p);

/** Verify OCOP certificates: admins only. */
export const canVerifyCertificate = (p: Principal): boolean => isAdmin(p);

/** Read a producer's audit trail: the producer, its cooperative's manager, admins. */
export function canReadAudit(p: Principal, producer: Producer): boolean {
  if (isAdmin(p) || p.producer?.id === producer.id) return true;
  const coop = managedCooperativeId(p);
  return coop !== undefined && producer.membership?.cooperativeId === coop;
}
