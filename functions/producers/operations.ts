/**
 * The producers function's operations: method and path from the route table and request schemas
 * (used to validate). What they answer is documented in operations.doc.ts, which only the OpenAPI
 * document imports. No handlers here, so the document can be built without loading them.
 */
import * as z from 'zod';
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
import { routeOperationDefiner } from '../http.ts';
import { PRODUCERS_ROUTES } from './routes.ts';

const defineOperation = routeOperationDefiner(PRODUCERS_ROUTES);

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

const op = defineOperation;

export const operations = {
  getMe: op('getMe'),
  signUpProducer: op('signUpProducer', { json: SignUpProducerBody }),
  requestMembership: op('requestMembership', { param: ProducerParam, json: RequestMembershipBody }),
  decideMembership: op('decideMembership', { param: ProducerParam, json: Decision }),
  decideProducer: op('decideProducer', { param: ProducerParam, json: Decision }),
  listAudit: op('listAudit', { param: ProducerParam }),
  listMembers: op('listMembers', { param: CooperativeParam, query: MembersQuery }),
  listPendingProducers: op('listPendingProducers', { query: PageQuery }),
  listSellerProducts: op('listSellerProducts', { query: ScopeQuery }),
  createProduct: op('createProduct', { json: CreateProductBody }),
  getSellerProduct: op('getSellerProduct', { param: ProductParam }),
  updateProduct: op('updateProduct', { param: ProductParam, json: UpdateProductBody }),
  submitProduct: op('submitProduct', { param: ProductParam }),
  decideProduct: op('decideProduct', { param: ProductParam, json: Decision }),
  archiveProduct: op('archiveProduct', { param: ProductParam }),
  adjustStock: op('adjustStock', { param: ProductParam, json: AdjustStockBody }),
  listStockHistory: op('listStockHistory', { param: ProductParam, query: PageQuery }),
  uploadProductPhoto: op('uploadProductPhoto', { param: ProductParam, json: UploadPhotoBody }),
  getProductPhoto: op('getProductPhoto', { param: PhotoParam }),
  deleteProductPhoto: op('deleteProductPhoto', { param: PhotoParam }),
  orderProductPhotos: op('orderProductPhotos', { param: ProductParam, json: OrderPhotosBody }),
  createLot: op('createLot', { param: ProductParam, json: CreateLotBody }),
  addOcopCertificate: op('addOcopCertificate', { param: ProductParam, json: AddOcopBody }),
  verifyOcopCertificate: op('verifyOcopCertificate', { param: CertificateParam, json: Decision }),
  listExpiringCertificates: op('listExpiringCertificates'),
  startProxyConsent: op('startProxyConsent', { json: StartProxyConsentBody }),
  importProducts: op('importProducts', { json: ImportProductsBody }),
};
