import * as z from 'zod';
import { IsoDate, IsoDateTime, ReviewRecord, Text } from './common.ts';

/** A certificate is valid for 36 months from its decision date. */
export const OCOP_VALIDITY_MONTHS = 36;

export const OcopCertificate = z.strictObject({
  id: z.string(),
  productId: z.string(),
  stars: z.union([z.literal(3), z.literal(4), z.literal(5)]),
  /** e.g. "2361/QĐ-UBND" */
  decisionNumber: Text(60),
  decisionDate: IsoDate,
  /** 3★ and 4★ are recognised by the province, 5★ nationally. */
  issuer: Text(200),
  verified: z.boolean(),
  verifiedAt: IsoDateTime.optional(),
  review: ReviewRecord.optional(),
  /** Photo of the paper certificate (a product photo id). */
  scanPhotoId: z.string().optional(),
});
export type OcopCertificate = z.infer<typeof OcopCertificate>;

/** Expiry date (YYYY-MM-DD): decision date + 36 months, clamped to the month's last day. */
export function ocopExpiresOn(decisionDate: string): string {
  const [y, m, d] = decisionDate.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + OCOP_VALIDITY_MONTHS;
  const year = y + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, month, Math.min(d, lastDay)));
  return date.toISOString().slice(0, 10);
}

/** The badge shows only while the certificate is verified and not yet expired. */
export function isOcopValid(
  cert: Pick<OcopCertificate, 'verified' | 'decisionDate'>,
  today: string = new Date().toISOString().slice(0, 10),
): boolean {
  return cert.verified && cert.decisionDate <= today && today < ocopExpiresOn(cert.decisionDate);
}

/** The best currently valid certificate of a product, or null. */
export function currentOcop<T extends Pick<OcopCertificate, 'verified' | 'decisionDate' | 'stars'>>(
  certs: readonly T[],
  today?: string,
): T | null {
  let best: T | null = null;
  for (const cert of certs) {
    if (isOcopValid(cert, today) && (!best || cert.stars > best.stars)) best = cert;
  }
  return best;
}
