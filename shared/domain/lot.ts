import * as z from 'zod';
import { IsoDate, IsoDateTime, Text } from './common.ts';

export const Certification = z.enum(['VietGAP', 'GlobalGAP', 'organic', 'OCOP']);

/** A harvest lot: where, when and by whom a batch was grown and processed. */
export const Lot = z.strictObject({
  id: z.string(),
  productId: z.string(),
  /** The household that grew and processed the lot. */
  householdId: z.string(),
  /** Printed on the QR label; public. */
  traceCode: z.string().regex(/^[A-Z0-9-]{6,32}$/),
  harvestDate: IsoDate,
  season: Text(60),
  /** Growing-area (vùng trồng) code issued by the province. */
  growingAreaCode: Text(40),
  certifications: z.array(Certification).max(4),
  createdAt: IsoDateTime,
});
export type Lot = z.infer<typeof Lot>;
