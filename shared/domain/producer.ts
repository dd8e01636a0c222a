import * as z from 'zod';
import { Address, ImageRef, IsoDateTime, LocalizedText, PhoneNumber, Slug, Text } from './common.ts';

export const ProducerKind = z.enum(['household', 'cooperative', 'enterprise']);
export type ProducerKind = z.infer<typeof ProducerKind>;

export const Verification = z.strictObject({
  status: z.enum(['pending', 'verified', 'rejected']),
  reason: Text(500).optional(),
  decidedAt: IsoDateTime.optional(),
  decidedBy: z.string().optional(),
});
export type Verification = z.infer<typeof Verification>;

/** A household's membership of a cooperative (a household belongs to at most one). */
export const Membership = z.strictObject({
  cooperativeId: z.string(),
  status: z.enum(['requested', 'approved', 'rejected']),
  decidedAt: IsoDateTime.optional(),
});

/** A household, cooperative (hợp tác xã) or enterprise that sells on the exchange. */
export const Producer = z.strictObject({
  id: z.string(),
  slug: Slug,
  kind: ProducerKind,
  name: Text(120),
  phone: PhoneNumber,
  address: Address,
  description: LocalizedText(2000).optional(),
  photo: ImageRef.optional(),
  membership: Membership.optional(),
  verification: Verification,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Producer = z.infer<typeof Producer>;

/** Shoppers only see producers an admin (or, for households, their cooperative) verified. */
export function isVisibleToShoppers(producer: Pick<Producer, 'verification'>): boolean {
  return producer.verification.status === 'verified';
}
