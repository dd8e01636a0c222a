/**
 * The producers function: onboarding, membership and verification, listings, stock, photos,
 * lots, OCOP certificates, proxy consent and CSV import, reviews, and the admin's programme report
 * (functions/board/programme.ts). A lot's printable label is the labels function's
 * (functions/producers/lot-labels.ts). Handlers stay thin: they validate, call shared/seller, and
 * answer; every check of who may do what is in there.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { listAudit } from '../../shared/db/audit.ts';
import { producers as producerRepo } from '../../shared/db/producers.ts';
import { producerCard } from '../../shared/domain/catalog-view.ts';
import { forbidden } from '../../shared/domain/errors.ts';
import {
  canReadAudit,
  cooperativeOf,
  isAdmin,
  managedCooperativeId,
} from '../../shared/domain/permissions.ts';
import {
  AddOcopBody,
  AdjustStockBody,
  CreateLotBody,
  CreateProductBody,
  Decision,
  ImportProductsBody,
  OrderPhotosBody,
  RequestMembershipBody,
  SignUpProducerBody,
  StartProxyConsentBody,
  UpdateProductBody,
  UploadPhotoBody,
} from '../../shared/domain/seller.ts';
import { importRows } from '../../shared/seller/import.ts';
import {
  adjustStock,
  archiveProduct,
  createProduct,
  decideProduct,
  listingForEditor,
  sellerView,
  startProxyConsent,
  submitProduct,
  updateProduct,
} from '../../shared/seller/listings.ts';
import {
  decideMembership,
  decideProducer,
  requestMembership,
  requireProducer,
  signUpProducer,
} from '../../shared/seller/onboarding.ts';
import {
  listMembersPage,
  listPendingProducersPage,
  listSellerProductsPage,
  listStockHistoryPage,
} from '../../shared/seller/lists.ts';
import { getPhoto, orderPhotos, removePhoto, startPhotoUpload } from '../../shared/seller/photos.ts';
import {
  addOcopCertificate,
  createLot,
  listCertificatesToVerify,
  listExpiringCertificates,
  verifyOcopCertificate,
} from '../../shared/seller/provenance.ts';
import { onceForKey, type SellerAnswer } from '../../shared/seller/idempotency.ts';
import { createApiApp, validate } from '../http.ts';
import {
  CertificateParam,
  CooperativeParam,
  MembersQuery,
  operations,
  PageQuery,
  PhotoParam,
  ProducerParam,
  ProductParam,
  ScopeQuery,
} from './operations.ts';
import { type SignedInEnv } from '../principal.ts';
import { guardRoutes } from '../guard.ts';
import { PRODUCERS_ROUTES } from './routes.ts';
import { registerReviewRoutes } from './reviews.ts';
import { registerNotificationChannelRoutes } from './notification-channel.ts';
import { PROGRAMME_ROUTES } from '../board/programme-routes.ts';
import { registerProgrammeRoutes } from '../board/programme.ts';

export const app = createApiApp<SignedInEnv>();
guardRoutes(app, PRODUCERS_ROUTES);
// The admin's programme report, beside the households, listings and certificates it reports on.
guardRoutes(app, PROGRAMME_ROUTES);

const o = operations;

/**
 * A write the seller center may queue offline and replay: with an Idempotency-Key header it is
 * applied once per key and its first answer replayed (shared/seller/idempotency.ts).
 */
async function once(
  c: Context<SignedInEnv>,
  request: Record<string, unknown>,
  operation: () => Promise<SellerAnswer>,
): Promise<Response> {
  const answer = await onceForKey(
    { sub: c.get('principal').sub, key: c.req.header('idempotency-key'), request },
    operation,
  );
  return c.json(answer.body as object, answer.status as ContentfulStatusCode);
}

app.on(o.getMe.method, o.getMe.honoPath, async (c) => {
  const p = c.get('principal');
  const coopId = p.producer ? cooperativeOf(p.producer) : undefined;
  const coop = coopId ? await producerRepo.get(coopId) : undefined;
  const managed = managedCooperativeId(p);
  return c.json({
    account: { sub: p.sub, phone: p.phone, groups: p.groups },
    producer: p.producer ?? null,
    cooperative: coop ? producerCard(coop) : null,
    manages:
      managed && p.producer ? { cooperativeId: managed, slug: p.producer.slug, name: p.producer.name } : null,
    isAdmin: isAdmin(p),
  });
});

app.on(o.signUpProducer.method, o.signUpProducer.honoPath, validate('json', SignUpProducerBody), async (c) =>
  c.json(await signUpProducer(c.get('principal'), c.req.valid('json')), 201),
);
app.on(
  o.requestMembership.method,
  o.requestMembership.honoPath,
  validate('param', ProducerParam),
  validate('json', RequestMembershipBody),
  async (c) =>
    c.json(
      await requestMembership(
        c.get('principal'),
        c.req.valid('param').producerId,
        c.req.valid('json').cooperativeSlug,
      ),
    ),
);
app.on(
  o.decideMembership.method,
  o.decideMembership.honoPath,
  validate('param', ProducerParam),
  validate('json', Decision),
  async (c) =>
    c.json(await decideMembership(c.get('principal'), c.req.valid('param').producerId, c.req.valid('json'))),
);
app.on(
  o.decideProducer.method,
  o.decideProducer.honoPath,
  validate('param', ProducerParam),
  validate('json', Decision),
  async (c) =>
    c.json(await decideProducer(c.get('principal'), c.req.valid('param').producerId, c.req.valid('json'))),
);
app.on(o.listAudit.method, o.listAudit.honoPath, validate('param', ProducerParam), async (c) => {
  const producer = await requireProducer(c.req.valid('param').producerId);
  if (!canReadAudit(c.get('principal'), producer))
    throw forbidden('audit.not_allowed', 'Không được xem nhật ký này / Not allowed');
  return c.json({ items: await listAudit(producer.id) });
});
app.on(
  o.listMembers.method,
  o.listMembers.honoPath,
  validate('param', CooperativeParam),
  validate('query', MembersQuery),
  async (c) => {
    const { status, ...page } = c.req.valid('query');
    return c.json(
      await listMembersPage(c.get('principal'), c.req.valid('param').cooperativeId, status, page),
    );
  },
);
app.on(
  o.listPendingProducers.method,
  o.listPendingProducers.honoPath,
  validate('query', PageQuery),
  async (c) => c.json(await listPendingProducersPage(c.get('principal'), c.req.valid('query'))),
);

app.on(
  o.listSellerProducts.method,
  o.listSellerProducts.honoPath,
  validate('query', ScopeQuery),
  async (c) => {
    const { scope, ...page } = c.req.valid('query');
    return c.json(await listSellerProductsPage(c.get('principal'), scope, page));
  },
);
app.on(o.createProduct.method, o.createProduct.honoPath, validate('json', CreateProductBody), async (c) =>
  once(c, { op: 'createProduct', body: c.req.valid('json') }, async () => ({
    status: 201,
    body: await createProduct(c.get('principal'), c.req.valid('json')),
  })),
);
app.on(o.getSellerProduct.method, o.getSellerProduct.honoPath, validate('param', ProductParam), async (c) => {
  return c.json(sellerView(await listingForEditor(c.get('principal'), c.req.valid('param').productId)));
});
app.on(
  o.updateProduct.method,
  o.updateProduct.honoPath,
  validate('param', ProductParam),
  validate('json', UpdateProductBody),
  async (c) => {
    const { productId } = c.req.valid('param');
    return once(c, { op: 'updateProduct', productId, body: c.req.valid('json') }, async () => ({
      status: 200,
      body: await updateProduct(c.get('principal'), productId, c.req.valid('json')),
    }));
  },
);
app.on(o.submitProduct.method, o.submitProduct.honoPath, validate('param', ProductParam), async (c) =>
  c.json(await submitProduct(c.get('principal'), c.req.valid('param').productId)),
);
app.on(
  o.decideProduct.method,
  o.decideProduct.honoPath,
  validate('param', ProductParam),
  validate('json', Decision),
  async (c) =>
    c.json(await decideProduct(c.get('principal'), c.req.valid('param').productId, c.req.valid('json'))),
);
app.on(o.archiveProduct.method, o.archiveProduct.honoPath, validate('param', ProductParam), async (c) =>
  c.json(await archiveProduct(c.get('principal'), c.req.valid('param').productId)),
);
app.on(
  o.adjustStock.method,
  o.adjustStock.honoPath,
  validate('param', ProductParam),
  validate('json', AdjustStockBody),
  async (c) => {
    const { productId } = c.req.valid('param');
    return once(c, { op: 'adjustStock', productId, body: c.req.valid('json') }, async () => ({
      status: 200,
      body: await adjustStock(c.get('principal'), productId, c.req.valid('json')),
    }));
  },
);
app.on(
  o.listStockHistory.method,
  o.listStockHistory.honoPath,
  validate('param', ProductParam),
  validate('query', PageQuery),
  async (c) =>
    c.json(
      await listStockHistoryPage(c.get('principal'), c.req.valid('param').productId, c.req.valid('query')),
    ),
);
app.on(
  o.uploadProductPhoto.method,
  o.uploadProductPhoto.honoPath,
  validate('param', ProductParam),
  validate('json', UploadPhotoBody),
  async (c) => {
    const { productId } = c.req.valid('param');
    return once(c, { op: 'uploadProductPhoto', productId, body: c.req.valid('json') }, async () => ({
      status: 201,
      body: await startPhotoUpload(c.get('principal'), productId, c.req.valid('json')),
    }));
  },
);
app.on(o.getProductPhoto.method, o.getProductPhoto.honoPath, validate('param', PhotoParam), async (c) => {
  const { productId, photoId } = c.req.valid('param');
  return c.json(await getPhoto(c.get('principal'), productId, photoId));
});
app.on(
  o.deleteProductPhoto.method,
  o.deleteProductPhoto.honoPath,
  validate('param', PhotoParam),
  async (c) => {
    const { productId, photoId } = c.req.valid('param');
    return c.json(await removePhoto(c.get('principal'), productId, photoId));
  },
);
app.on(
  o.orderProductPhotos.method,
  o.orderProductPhotos.honoPath,
  validate('param', ProductParam),
  validate('json', OrderPhotosBody),
  async (c) =>
    c.json(
      await orderPhotos(c.get('principal'), c.req.valid('param').productId, c.req.valid('json').photoIds),
    ),
);
app.on(
  o.createLot.method,
  o.createLot.honoPath,
  validate('param', ProductParam),
  validate('json', CreateLotBody),
  async (c) =>
    c.json(await createLot(c.get('principal'), c.req.valid('param').productId, c.req.valid('json')), 201),
);
app.on(
  o.addOcopCertificate.method,
  o.addOcopCertificate.honoPath,
  validate('param', ProductParam),
  validate('json', AddOcopBody),
  async (c) =>
    c.json(
      await addOcopCertificate(c.get('principal'), c.req.valid('param').productId, c.req.valid('json')),
      201,
    ),
);
app.on(
  o.verifyOcopCertificate.method,
  o.verifyOcopCertificate.honoPath,
  validate('param', CertificateParam),
  validate('json', Decision),
  async (c) => {
    const { productId, certificateId } = c.req.valid('param');
    return c.json(
      await verifyOcopCertificate(c.get('principal'), productId, certificateId, c.req.valid('json')),
    );
  },
);
app.on(o.listExpiringCertificates.method, o.listExpiringCertificates.honoPath, async (c) => {
  const p = c.get('principal');
  return c.json({
    items: await listExpiringCertificates(p),
    ...(isAdmin(p) ? { toVerify: await listCertificatesToVerify(p) } : {}),
  });
});
app.on(
  o.startProxyConsent.method,
  o.startProxyConsent.honoPath,
  validate('json', StartProxyConsentBody),
  async (c) => c.json(await startProxyConsent(c.get('principal'), c.req.valid('json').householdId), 201),
);
app.on(o.importProducts.method, o.importProducts.honoPath, validate('json', ImportProductsBody), async (c) =>
  c.json({ results: await importRows(c.get('principal'), c.req.valid('json').rows) }),
);
registerReviewRoutes(app);
registerNotificationChannelRoutes(app);
registerProgrammeRoutes(app);
