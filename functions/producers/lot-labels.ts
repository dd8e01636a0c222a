/**
 * A lot's printable label (SVG, or PNG through sharp): the lot's trace code as a QR code with the
 * product, household, commune, harvest and certifications, for the lot's seller. Served by the
 * labels function (functions/labels/app.ts), out of the producers function so that the QR encoder
 * stays out of the seller center's other routes. The layout lives in shared/labels.
 */
import type { Hono } from 'hono';
import { producers as producerRepo } from '../../shared/db/producers.ts';
import { products as productRepo } from '../../shared/db/products.ts';
import { findCommune } from '../../shared/domain/admin-units.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { currentOcop } from '../../shared/domain/ocop.ts';
import { lotLabelPng, lotLabelSvg } from '../../shared/labels/lot-label.ts';
import { listingForEditor } from '../../shared/seller/listings.ts';
import { config } from '../../shared/services.ts';
import { validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { lotLabelOperations as o } from './lot-label-operations.ts';

export function registerLotLabelRoutes(app: Hono<SignedInEnv>): void {
  app.on(
    o.getLotLabel.method,
    o.getLotLabel.honoPath,
    validate('param', o.getLotLabel.request.param),
    validate('query', o.getLotLabel.request.query),
    async (c) => {
      const traceCode = c.req.valid('param').traceCode.toUpperCase();
      const lot = await productRepo.getLotByTraceCode(traceCode);
      if (!lot) throw notFound('lot.not_found', `Không có lô ${traceCode} / No lot ${traceCode}`);
      const listing = await listingForEditor(c.get('principal'), lot.productId);
      const household =
        lot.householdId === listing.seller.id ? listing.seller : await producerRepo.get(lot.householdId);
      const input = {
        siteOrigin: config().siteUrl ?? new URL(c.req.url).origin,
        traceCode,
        productName: listing.product.name.vi,
        producerName: (household ?? listing.seller).name,
        commune: findCommune((household ?? listing.seller).address.communeCode)?.commune.name ?? '',
        harvestDate: lot.harvestDate,
        season: lot.season,
        growingAreaCode: lot.growingAreaCode,
        certifications: lot.certifications,
        ocopStars: currentOcop(listing.certificates)?.stars ?? null,
      };
      const format = c.req.valid('query').format;
      c.header('Content-Disposition', `inline; filename="nhan-${traceCode}.${format}"`);
      if (format === 'png')
        return c.body(new Uint8Array(await lotLabelPng(input)), 200, { 'Content-Type': 'image/png' });
      return c.body(await lotLabelSvg(input), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
    },
  );
}
