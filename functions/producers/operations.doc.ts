/**
 * What the producers function's operations answer (functions/producers/operations.ts), for the
 * OpenAPI document only (functions/api-document.ts): no handler imports this, so no bundle
 * carries it.
 */
import * as z from 'zod';
import { Producer } from '../../shared/domain/producer.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { operations } from './operations.ts';

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
export const signedIn = {
  401: errorResponse('Not signed in, or the token is invalid'),
  403: errorResponse('Not allowed for this caller'),
};
export const operationsDocs: OperationDocsOf<typeof operations> = {
  getMe: {
    summary: 'The signed-in account, its producer and cooperative',
    responses: { 200: jsonResponse(z.looseObject({}), 'Me'), ...signedIn },
  },
  signUpProducer: {
    summary: 'Sign up as a household, cooperative or enterprise',
    responses: {
      201: jsonResponse(Producer, 'Created, pending verification'),
      400: errorResponse('Invalid'),
      409: errorResponse('Already signed up'),
      ...signedIn,
    },
  },
  requestMembership: {
    summary: 'A household asks to join a cooperative',
    responses: {
      200: jsonResponse(Producer, 'Requested'),
      ...signedIn,
      404: errorResponse('No such cooperative'),
      409: errorResponse('Already a member or requested'),
    },
  },
  decideMembership: {
    summary: "The cooperative's manager approves or rejects a household",
    responses: { 200: jsonResponse(Producer, 'Decided'), ...signedIn, 409: errorResponse('Nothing pending') },
  },
  decideProducer: {
    summary: 'An admin verifies or rejects a producer',
    responses: { 200: jsonResponse(Producer, 'Decided'), ...signedIn, 409: errorResponse('Already decided') },
  },
  listAudit: {
    summary: "A producer's audit trail: who decided what, when and why",
    responses: { 200: jsonResponse(Items(z.looseObject({})), 'Entries, newest first'), ...signedIn },
  },
  listMembers: {
    summary: "A cooperative's households by membership status",
    responses: {
      200: jsonResponse(Page(Producer), 'Members'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
  },
  listPendingProducers: {
    summary: 'Producers awaiting verification (admins), oldest first',
    responses: {
      200: jsonResponse(Page(Producer), 'Pending'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
  },
  listSellerProducts: {
    summary: "The caller's listings (a manager's include members'), or a reviewer's queue",
    responses: {
      200: jsonResponse(Page(SellerProduct), 'Listings'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
  },
  createProduct: {
    summary: 'Create a draft listing, also on behalf of a member household with its consent',
    responses: { 201: jsonResponse(SellerProduct, 'Created'), 400: errorResponse('Invalid'), ...signedIn },
  },
  getSellerProduct: {
    summary: 'One listing as its seller sees it',
    responses: { 200: jsonResponse(SellerProduct, 'Listing'), ...signedIn, 404: errorResponse('Not found') },
  },
  updateProduct: {
    summary: 'Edit a listing; content edits of a listing on sale send it back to review',
    responses: {
      200: jsonResponse(SellerProduct, 'Updated'),
      ...signedIn,
      409: errorResponse('Archived or changed meanwhile'),
    },
  },
  submitProduct: {
    summary: 'Send a draft for review',
    responses: {
      200: jsonResponse(SellerProduct, 'In review'),
      ...signedIn,
      409: errorResponse('Not a draft, or producer not verified'),
    },
  },
  decideProduct: {
    summary: 'Approve (publish) or reject a listing in review',
    responses: {
      200: jsonResponse(SellerProduct, 'Decided'),
      ...signedIn,
      409: errorResponse('Not in review'),
    },
  },
  archiveProduct: {
    summary: 'Take a listing off sale',
    responses: { 200: jsonResponse(SellerProduct, 'Archived'), ...signedIn },
  },
  adjustStock: {
    summary: 'Add or remove stock of a pack, with a reason kept in the history',
    responses: {
      200: jsonResponse(z.looseObject({}), 'The change'),
      ...signedIn,
      409: errorResponse('Would go below zero, or changed meanwhile'),
    },
  },
  listStockHistory: {
    summary: 'Stock changes of a listing, newest first',
    responses: {
      200: jsonResponse(Page(z.looseObject({})), 'History'),
      400: errorResponse('Invalid cursor'),
      ...signedIn,
    },
  },
  uploadProductPhoto: {
    summary: 'Get an upload URL for a product photo',
    responses: {
      201: jsonResponse(z.looseObject({ photoId: z.string() }), 'Upload slot'),
      ...signedIn,
      409: errorResponse('Too many photos'),
    },
  },
  getProductPhoto: {
    summary: 'Processing state of an uploaded photo',
    responses: { 200: jsonResponse(z.looseObject({ status: z.string() }), 'Photo'), ...signedIn },
  },
  deleteProductPhoto: {
    summary: 'Delete a photo of a listing (from its gallery, or a failed upload)',
    responses: {
      200: jsonResponse(SellerProduct, 'The listing without the photo'),
      ...signedIn,
      404: errorResponse('No such photo on this listing'),
      409: errorResponse('The listing is archived, or changed meanwhile'),
    },
  },
  orderProductPhotos: {
    summary: 'Put the photos of a listing in order; the first is the cover',
    responses: {
      200: jsonResponse(SellerProduct, 'The listing with its photos in the new order'),
      ...signedIn,
      400: errorResponse('The ids are not exactly the gallery’s photos'),
      409: errorResponse('The listing is archived, or changed meanwhile'),
    },
  },
  createLot: {
    summary: 'Record a harvest lot; it gets a trace code',
    responses: { 201: jsonResponse(z.looseObject({ traceCode: z.string() }), 'Lot'), ...signedIn },
  },

  addOcopCertificate: {
    summary: 'Add an OCOP certificate (unverified until an admin checks it)',
    responses: { 201: jsonResponse(z.looseObject({}), 'Certificate'), ...signedIn },
  },
  verifyOcopCertificate: {
    summary: 'An admin verifies or rejects a certificate',
    responses: {
      200: jsonResponse(z.looseObject({}), 'Decided'),
      ...signedIn,
      409: errorResponse('Already decided'),
    },
  },
  listExpiringCertificates: {
    summary: 'Valid certificates of my listings expiring within 60 days; admins also get the ones to verify',
    responses: {
      200: jsonResponse(z.looseObject({ items: z.array(z.looseObject({})) }), 'Certificates'),
      ...signedIn,
    },
  },
  startProxyConsent: {
    summary: "Send a consent code to a member household's phone before listing for it",
    responses: {
      201: jsonResponse(z.object({ consentId: z.string(), expiresIn: z.int() }), 'Code sent'),
      ...signedIn,
    },
  },
  importProducts: {
    summary: 'Import up to 25 CSV rows as draft listings; each row succeeds or fails whole',
    responses: {
      200: jsonResponse(z.looseObject({ results: z.array(z.looseObject({})) }), 'Per-row results'),
      ...signedIn,
    },
  },
};
