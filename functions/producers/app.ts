/**
 * The producers function: onboarding, membership and verification, listings, stock, photos,
 * lots and labels, OCOP certificates, proxy consent and CSV import. Handlers stay thin: they
 * validate, call shared/seller, and answer; every check of who may do what is in there.
 */
import * as z from 'zod';
import { listAudit } from '../../shared/db/audit.ts';
import { producers as producerRepo } from '../../shared/db/producers.ts';
import { producerCard } from '../../shared/domain/catalog-view.ts';
import { forbidden, notFound } from '../../shared/domain/errors.ts';
import { findCommune } from '../../shared/domain/admin-units.ts';
import {
  canReadAudit,
  cooperativeOf,
  isAdmin,
  managedCooperativeId,
} from '../../shared/domain/permissions.ts';
import { Producer } from '../../shared/domain/producer.ts';
import {
  AddOcopBody,
  AdjustStockBody,
  CreateLotBody,
  CreateProductBody,
  Decision,
  ImportProductsBody,
  RequestMembershipBody,
  SignUpProducerBody,
  StartProxyConsentBody,
  UpdateProductBody,
  UploadPhotoBody,
} from '../../shared/domain/seller.ts';
import { lotLabelPng, lotLabelSvg } from '../../shared/labels/lot-label.ts';
import { currentOcop } from '../../shared/domain/ocop.ts';
import { importRows } from '../../shared/seller/import.ts';
import {
  adjustStock,
  archiveProduct,
  createProduct,
  decideProduct,
  listingForEditor,
  listSellerProducts,
  listStockHistory,
  sellerView,
  startProxyConsent,
  submitProduct,
  updateProduct,
} from '../../shared/seller/listings.ts';
import {
  decideMembership,
  decideProducer,
  listMembers,
  listPendingProducers,
  requestMembership,
  requireProducer,
  signUpProducer,
} from '../../shared/seller/onboarding.ts';
import { getPhoto, startPhotoUpload } from '../../shared/seller/photos.ts';
import {
  addOcopCertificate,
  createLot,
  listCertificatesToVerify,
  listExpiringCertificates,
  verifyOcopCertificate,
} from '../../shared/seller/provenance.ts';
import { products as productRepo } from '../../shared/db/products.ts';
import { createApiApp, defineOperation, errorResponse, jsonResponse, validate } from '../http.ts';
import { requireSignIn, type SignedInEnv } from '../principal.ts';

const ProducerParam = z.object({ producerId: z.string().min(1).max(64) });
const CooperativeParam = z.object({ cooperativeId: z.string().min(1).max(64) });
const ProductParam = z.object({ productId: z.string().min(1).max(64) });
const PhotoParam = ProductParam.extend({ photoId: z.string().min(1).max(64) });
const CertificateParam = ProductParam.extend({ certificateId: z.string().min(1).max(64) });
const TraceParam = z.object({ traceCode: z.string().regex(/^[A-Za-z0-9-]{6,32}$/) });
const MembersQuery = z.strictObject({
  status: z.enum(['requested', 'approved', 'rejected']).default('requested'),
});
const ScopeQuery = z.strictObject({ scope: z.enum(['mine', 'review']).default('mine') });
const LabelQuery = z.strictObject({ format: z.enum(['svg', 'png']).default('svg') });

const SellerProduct = z
  .looseObject({
    id: z.string(),
    status: z.string(),
    packs: z.array(z.looseObject({ id: z.string(), price: z.int(), stock: z.int() })),
  })
  .meta({
    id: 'SellerProduct',
    description: 'A listing as its seller sees it: product, packs with stock, certificates, lots, review',
  });
const Items = (schema: z.ZodType) => z.object({ items: z.array(schema) });
const signedIn = {
  401: errorResponse('Not signed in, or the token is invalid'),
  403: errorResponse('Not allowed for this caller'),
};
const op = defineOperation;

export const operations = {
  getMe: op('getMe', {
    summary: 'The signed-in account, its producer and cooperative',
    responses: { 200: jsonResponse(z.looseObject({}), 'Me'), ...signedIn },
  }),
  signUpProducer: op('signUpProducer', {
    summary: 'Sign up as a household, cooperative or enterprise',
    request: { json: SignUpProducerBody },
    responses: {
      201: jsonResponse(Producer, 'Created, pending verification'),
      400: errorResponse('Invalid'),
      409: errorResponse('Already signed up'),
      ...signedIn,
    },
  }),
  requestMembership: op('requestMembership', {
    summary: 'A household asks to join a cooperative',
    request: { param: ProducerParam, json: RequestMembershipBody },
    responses: {
      200: jsonResponse(Producer, 'Requested'),
      ...signedIn,
      404: errorResponse('No such cooperative'),
      409: errorResponse('Already a member or requested'),
    },
  }),
  decideMembership: op('decideMembership', {
    summary: "The cooperative's manager approves or rejects a household",
    request: { param: ProducerParam, json: Decision },
    responses: { 200: jsonResponse(Producer, 'Decided'), ...signedIn, 409: errorResponse('Nothing pending') },
  }),
  decideProducer: op('decideProducer', {
    summary: 'An admin verifies or rejects a producer',
    request: { param: ProducerParam, json: Decision },
    responses: { 200: jsonResponse(Producer, 'Decided'), ...signedIn, 409: errorResponse('Already decided') },
  }),
  listAudit: op('listAudit', {
    summary: "A producer's audit trail: who decided what, when and why",
    request: { param: ProducerParam },
    responses: { 200: jsonResponse(Items(z.looseObject({})), 'Entries, newest first'), ...signedIn },
  }),
  listMembers: op('listMembers', {
    summary: "A cooperative's households by membership status",
    request: { param: CooperativeParam, query: MembersQuery },
    responses: { 200: jsonResponse(Items(Producer), 'Members'), ...signedIn },
  }),
  listPendingProducers: op('listPendingProducers', {
    summary: 'Producers awaiting verification (admins)',
    responses: { 200: jsonResponse(Items(Producer), 'Pending'), ...signedIn },
  }),
  listSellerProducts: op('listSellerProducts', {
    summary: "The caller's listings (a manager's include members'), or a reviewer's queue",
    request: { query: ScopeQuery },
    responses: { 200: jsonResponse(Items(SellerProduct), 'Listings'), ...signedIn },
  }),
  createProduct: op('createProduct', {
    summary: 'Create a draft listing, also on behalf of a member household with its consent',
    request: { json: CreateProductBody },
    responses: { 201: jsonResponse(SellerProduct, 'Created'), 400: errorResponse('Invalid'), ...signedIn },
  }),
  getSellerProduct: op('getSellerProduct', {
    summary: 'One listing as its seller sees it',
    request: { param: ProductParam },
    responses: { 200: jsonResponse(SellerProduct, 'Listing'), ...signedIn, 404: errorResponse('Not found') },
  }),
  updateProduct: op('updateProduct', {
    summary: 'Edit a listing; content edits of a listing on sale send it back to review',
    request: { param: ProductParam, json: UpdateProductBody },
    responses: {
      200: jsonResponse(SellerProduct, 'Updated'),
      ...signedIn,
      409: errorResponse('Archived or changed meanwhile'),
    },
  }),
  submitProduct: op('submitProduct', {
    summary: 'Send a draft for review',
    request: { param: ProductParam },
    responses: {
      200: jsonResponse(SellerProduct, 'In review'),
      ...signedIn,
      409: errorResponse('Not a draft, or producer not verified'),
    },
  }),
  decideProduct: op('decideProduct', {
    summary: 'Approve (publish) or reject a listing in review',
    request: { param: ProductParam, json: Decision },
    responses: {
      200: jsonResponse(SellerProduct, 'Decided'),
      ...signedIn,
      409: errorResponse('Not in review'),
    },
  }),
  archiveProduct: op('archiveProduct', {
    summary: 'Take a listing off sale',
    request: { param: ProductParam },
    responses: { 200: jsonResponse(SellerProduct, 'Archived'), ...signedIn },
  }),
  adjustStock: op('adjustStock', {
    summary: 'Add or remove stock of a pack, with a reason kept in the history',
    request: { param: ProductParam, json: AdjustStockBody },
    responses: {
      200: jsonResponse(z.looseObject({}), 'The change'),
      ...signedIn,
      409: errorResponse('Would go below zero, or changed meanwhile'),
    },
  }),
  listStockHistory: op('listStockHistory', {
    summary: 'Stock changes of a listing, newest first',
    request: { param: ProductParam },
    responses: { 200: jsonResponse(Items(z.looseObject({})), 'History'), ...signedIn },
  }),
  uploadProductPhoto: op('uploadProductPhoto', {
    summary: 'Get an upload URL for a product photo',
    request: { param: ProductParam, json: UploadPhotoBody },
    responses: {
      201: jsonResponse(z.looseObject({ photoId: z.string() }), 'Upload slot'),
      ...signedIn,
      409: errorResponse('Too many photos'),
    },
  }),
  getProductPhoto: op('getProductPhoto', {
    summary: 'Processing state of an uploaded photo',
    request: { param: PhotoParam },
    responses: { 200: jsonResponse(z.looseObject({ status: z.string() }), 'Photo'), ...signedIn },
  }),
  createLot: op('createLot', {
    summary: 'Record a harvest lot; it gets a trace code',
    request: { param: ProductParam, json: CreateLotBody },
    responses: { 201: jsonResponse(z.looseObject({ traceCode: z.string() }), 'Lot'), ...signedIn },
  }),
  getLotLabel: op('getLotLabel', {
    summary: 'Printable QR label of a lot (SVG or PNG)',
    request: { param: TraceParam, query: LabelQuery },
    responses: {
      200: { description: 'The label (image/svg+xml or image/png)' },
      ...signedIn,
      404: errorResponse('Unknown trace code'),
    },
  }),
  addOcopCertificate: op('addOcopCertificate', {
    summary: 'Add an OCOP certificate (unverified until an admin checks it)',
    request: { param: ProductParam, json: AddOcopBody },
    responses: { 201: jsonResponse(z.looseObject({}), 'Certificate'), ...signedIn },
  }),
  verifyOcopCertificate: op('verifyOcopCertificate', {
    summary: 'An admin verifies or rejects a certificate',
    request: { param: CertificateParam, json: Decision },
    responses: {
      200: jsonResponse(z.looseObject({}), 'Decided'),
      ...signedIn,
      409: errorResponse('Already decided'),
    },
  }),
  listExpiringCertificates: op('listExpiringCertificates', {
    summary: 'Valid certificates of my listings expiring within 60 days; admins also get the ones to verify',
    responses: {
      200: jsonResponse(z.looseObject({ items: z.array(z.looseObject({})) }), 'Certificates'),
      ...signedIn,
    },
  }),
  startProxyConsent: op('startProxyConsent', {
    summary: "Send a consent code to a member household's phone before listing for it",
    request: { json: StartProxyConsentBody },
    responses: {
      201: jsonResponse(z.object({ consentId: z.string(), expiresIn: z.int() }), 'Code sent'),
      ...signedIn,
    },
  }),
  importProducts: op('importProducts', {
    summary: 'Import up to 25 CSV rows as draft listings; each row succeeds or fails whole',
    request: { json: ImportProductsBody },
    responses: {
      200: jsonResponse(z.looseObject({ results: z.array(z.looseObject({})) }), 'Per-row results'),
      ...signedIn,
    },
  }),
};

export const app = createApiApp<SignedInEnv>();
// Every route of this function needs a signed-in caller.
for (const path of [
  '/api/me',
  '/api/producers',
  '/api/producers/*',
  '/api/cooperatives/*',
  '/api/admin/*',
  '/api/seller/*',
]) {
  app.use(path, requireSignIn);
}

const o = operations;

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
  async (c) =>
    c.json({
      items: await listMembers(
        c.get('principal'),
        c.req.valid('param').cooperativeId,
        c.req.valid('query').status,
      ),
    }),
);
app.on(o.listPendingProducers.method, o.listPendingProducers.honoPath, async (c) =>
  c.json({ items: await listPendingProducers(c.get('principal')) }),
);

app.on(o.listSellerProducts.method, o.listSellerProducts.honoPath, validate('query', ScopeQuery), async (c) =>
  c.json({ items: await listSellerProducts(c.get('principal'), c.req.valid('query').scope) }),
);
app.on(o.createProduct.method, o.createProduct.honoPath, validate('json', CreateProductBody), async (c) =>
  c.json(await createProduct(c.get('principal'), c.req.valid('json')), 201),
);
app.on(o.getSellerProduct.method, o.getSellerProduct.honoPath, validate('param', ProductParam), async (c) => {
  return c.json(sellerView(await listingForEditor(c.get('principal'), c.req.valid('param').productId)));
});
app.on(
  o.updateProduct.method,
  o.updateProduct.honoPath,
  validate('param', ProductParam),
  validate('json', UpdateProductBody),
  async (c) =>
    c.json(await updateProduct(c.get('principal'), c.req.valid('param').productId, c.req.valid('json'))),
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
  async (c) =>
    c.json(await adjustStock(c.get('principal'), c.req.valid('param').productId, c.req.valid('json'))),
);
app.on(o.listStockHistory.method, o.listStockHistory.honoPath, validate('param', ProductParam), async (c) =>
  c.json({ items: await listStockHistory(c.get('principal'), c.req.valid('param').productId) }),
);
app.on(
  o.uploadProductPhoto.method,
  o.uploadProductPhoto.honoPath,
  validate('param', ProductParam),
  validate('json', UploadPhotoBody),
  async (c) =>
    c.json(
      await startPhotoUpload(c.get('principal'), c.req.valid('param').productId, c.req.valid('json')),
      201,
    ),
);
app.on(o.getProductPhoto.method, o.getProductPhoto.honoPath, validate('param', PhotoParam), async (c) => {
  const { productId, photoId } = c.req.valid('param');
  return c.json(await getPhoto(c.get('principal'), productId, photoId));
});
app.on(
  o.createLot.method,
  o.createLot.honoPath,
  validate('param', ProductParam),
  validate('json', CreateLotBody),
  async (c) =>
    c.json(await createLot(c.get('principal'), c.req.valid('param').productId, c.req.valid('json')), 201),
);
app.on(
  o.getLotLabel.method,
  o.getLotLabel.honoPath,
  validate('param', TraceParam),
  validate('query', LabelQuery),
  async (c) => {
    const traceCode = c.req.valid('param').traceCode.toUpperCase();
    const lot = await productRepo.getLotByTraceCode(traceCode);
    if (!lot) throw notFound('lot.not_found', `Không có lô ${traceCode} / No lot ${traceCode}`);
    const listing = await listingForEditor(c.get('principal'), lot.productId);
    const household =
      lot.householdId === listing.seller.id ? listing.seller : await producerRepo.get(lot.householdId);
    const input = {
      siteOrigin: process.env.SITE_URL ?? new URL(c.req.url).origin,
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
