/**
 * The producers function's operations: method and path from the route table, request schemas
 * (used to validate) and responses (for the OpenAPI document, which every function's operations
 * feed). No handlers here, so the document can be built without loading them.
 */
import * as z from 'zod';
import { Producer } from '../../shared/domain/producer.ts';
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
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import { LIST_LIMITS } from '../../shared/seller/lists.ts';
import { operationDefiner, errorResponse, jsonResponse } from '../http.ts';
import { PRODUCERS_ROUTES } from './routes.ts';

const defineOperation = operationDefiner(PRODUCERS_ROUTES);

export const ProducerParam = z.object({ producerId: z.string().min(1).max(64) });
export const CooperativeParam = z.object({ cooperativeId: z.string().min(1).max(64) });
export const ProductParam = z.object({ productId: z.string().min(1).max(64) });
export const PhotoParam = ProductParam.extend({ photoId: z.string().min(1).max(64) });
export const CertificateParam = ProductParam.extend({ certificateId: z.string().min(1).max(64) });
export const TraceParam = z.object({ traceCode: z.string().regex(/^[A-Za-z0-9-]{6,32}$/) });
/** `limit` and `cursor` of every paged list. */
const Paging = {
  limit: PageLimit(LIST_LIMITS.default, LIST_LIMITS.max),
  cursor: CursorParam.optional(),
};
export const PageQuery = z.strictObject(Paging);
export const MembersQuery = z.strictObject({
  status: z.enum(['requested', 'approved', 'rejected']).default('requested'),
  ...Paging,
});
export const ScopeQuery = z.strictObject({ scope: z.enum(['mine', 'review']).default('mine'), ...Paging });
export const LabelQuery = z.strictObject({ format: z.enum(['svg', 'png']).default('svg') });

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
/** A page of a list: at most `limit` items, and the cursor of the next page (null on the last). */
const Page = (schema: z.ZodType) =>
  z.object({
    items: z.array(schema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page' }),
  });
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
    responses: {
      200: jsonResponse(Page(Producer), 'Members'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
  }),
  listPendingProducers: op('listPendingProducers', {
    summary: 'Producers awaiting verification (admins), oldest first',
    request: { query: PageQuery },
    responses: {
      200: jsonResponse(Page(Producer), 'Pending'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
  }),
  listSellerProducts: op('listSellerProducts', {
    summary: "The caller's listings (a manager's include members'), or a reviewer's queue",
    request: { query: ScopeQuery },
    responses: {
      200: jsonResponse(Page(SellerProduct), 'Listings'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
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
    request: { param: ProductParam, query: PageQuery },
    responses: {
      200: jsonResponse(Page(z.looseObject({})), 'History'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
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
  deleteProductPhoto: op('deleteProductPhoto', {
    summary: 'Delete a photo of a listing (from its gallery, or a failed upload)',
    request: { param: PhotoParam },
    responses: {
      200: jsonResponse(SellerProduct, 'The listing without the photo'),
      ...signedIn,
      404: errorResponse('No such photo on this listing'),
      409: errorResponse('The listing is archived, or changed meanwhile'),
    },
  }),
  orderProductPhotos: op('orderProductPhotos', {
    summary: 'Put the photos of a listing in order; the first is the cover',
    request: { param: ProductParam, json: OrderPhotosBody },
    responses: {
      200: jsonResponse(SellerProduct, 'The listing with its photos in the new order'),
      ...signedIn,
      400: errorResponse('The ids are not exactly the gallery’s photos'),
      409: errorResponse('The listing is archived, or changed meanwhile'),
    },
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
