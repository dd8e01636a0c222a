/**
 * Response shapes of the seller API as the pages use them. Entity types come from shared/domain
 * (type-only imports: nothing from there is bundled); the rest mirror functions/producers.
 */
import type { ProducerCard, ProducerProfile } from '../../../shared/domain/catalog-view.ts';
import type { Lot } from '../../../shared/domain/lot.ts';
import type { OcopCertificate } from '../../../shared/domain/ocop.ts';
import type { Producer } from '../../../shared/domain/producer.ts';
import type { Product, ProductStatus } from '../../../shared/domain/product.ts';

export type { Lot, OcopCertificate, Producer, ProducerCard, ProducerProfile, Product, ProductStatus };

export interface Me {
  account: { sub: string; phone: string; groups: string[] };
  producer: Producer | null;
  cooperative: ProducerCard | null;
  manages: { cooperativeId: string; slug: string; name: string } | null;
  isAdmin: boolean;
}

export interface SellerPack {
  id: string;
  grams?: number;
  unit?: string;
  label: string;
  price: number;
  stock: number;
}

export interface ReviewDecision {
  decision: 'approve' | 'reject';
  reason?: string;
  at: string;
  by?: string;
}

export interface PendingPhoto {
  photoId: string;
  status: 'pending' | 'processing' | 'ready' | 'failed' | string;
  error?: { code?: string; message: string };
}

/** Product fields + packs, producer, review; certificates, lots and photos when the API adds them. */
export interface SellerProduct extends Omit<Product, 'review'> {
  packs: SellerPack[];
  producer: ProducerCard;
  review?: { reviewer?: 'cooperative' | 'admin'; lastDecision?: ReviewDecision } | ReviewDecision;
  reviewer?: 'cooperative' | 'admin';
  certificates?: OcopCertificate[];
  lots?: Lot[];
  pendingPhotos?: PendingPhoto[];
}

export interface StockChange {
  variantId: string;
  delta: number;
  before: number;
  after: number;
  reason: string;
  at: string;
  by: string;
}

export interface PhotoStatus {
  photoId: string;
  status: PendingPhoto['status'];
  image?: { key: string; alt: string; width: number; height: number; src?: string };
  error?: { code?: string; message: string };
}

export interface AuditEntry {
  at: string;
  actor: { sub: string; role: 'self' | 'cooperative_manager' | 'admin' | 'system' | string };
  action: string;
  subject: { type: string; id: string; name?: string };
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ExpiringCertificate {
  productId: string;
  productName: string;
  producer?: ProducerCard;
  certificateId?: string;
  stars: number;
  decisionNumber: string;
  expiresOn: string;
  daysLeft: number;
}

export interface ImportResult {
  line: number;
  ok: boolean;
  productId?: string;
  errors?: { field: string; message: string }[];
}

export type ItemsOf<T> = { items: T[] };

/** Who reviews a listing, and the last decision on it, whichever shape the API sends. */
export function reviewOf(product: SellerProduct): {
  reviewer?: 'cooperative' | 'admin';
  last?: ReviewDecision;
} {
  const review = product.review;
  if (review && 'decision' in review) return { reviewer: product.reviewer, last: review };
  return { reviewer: review?.reviewer ?? product.reviewer, last: review?.lastDecision };
}
