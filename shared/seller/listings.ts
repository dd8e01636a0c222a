/**
 * Listings in the seller center: create (also on behalf of a member household, with consent),
 * edit, submit for review, decide, archive, stock with history. Ownership is checked on every
 * call against the listing's seller; every change that matters is audited in its transaction.
 */
import { auditPut } from '../db/audit.ts';
import { db } from '../db/client.ts';
import {
  consumeConsent as consentUsedUp,
  countConsentAttempt,
  getConsent,
  putConsent,
} from '../db/consents.ts';
import { concurrentChange, newId, type TransactItem } from '../db/items.ts';
import {
  listingItems,
  productIdsInReview,
  productIdsOfSeller,
  putNewPack,
  putStockChange,
  REVIEW_QUEUES,
  saveProduct,
  setPackPrice,
  setPackStock,
} from '../db/listings.ts';
import { producers } from '../db/producers.ts';
import { notifyListingDecision } from './notifications.ts';
import { countLiveListings } from '../db/pages.ts';
import { products } from '../db/products.ts';
import { hit } from '../db/rate-limits.ts';
import { transactWrite } from '../db/retry.ts';
import { config } from '../services.ts';
import type { ProducerCard } from '../domain/catalog-view.ts';
import { producerCard } from '../domain/catalog-view.ts';
import { conflict, forbidden, invalid, notFound, rateLimited } from '../domain/errors.ts';
import type { Lot } from '../domain/lot.ts';
import type { OcopCertificate } from '../domain/ocop.ts';
import {
  canDecideListing,
  canManageListings,
  isAdmin,
  listingReviewer,
  managesMember,
  type Principal,
} from '../domain/permissions.ts';
import type { Producer } from '../domain/producer.ts';
import type { Product } from '../domain/product.ts';
import { packLabel, PRODUCT_LIMITS, Variant } from '../domain/product.ts';
import { packChangesNeedReview } from '../domain/listing-rules.ts';
import type { CreateProductBody, Decision, UpdateProductBody } from '../domain/seller.ts';
import { slugify } from '../domain/text.ts';
import { messenger } from '../messaging/messenger.ts';
import { codeDigest, codeMatches, newOneTimeCode } from '../auth/one-time-code.ts';
import { isStalePending, UPLOAD_MISSING, type ProductPhoto } from '../db/photos.ts';
import { actorRole, requireProducer } from './onboarding.ts';

const now = () => new Date().toISOString();

export interface Listing {
  product: Product;
  variants: Variant[];
  certificates: OcopCertificate[];
  lots: Lot[];
  photos: ProductPhoto[];
  seller: Producer;
}

export interface SellerProduct extends Product {
  packs: { id: string; grams?: number; unit?: string; label: string; price: number; stock: number }[];
  producer: ProducerCard;
  certificates: OcopCertificate[];
  lots: Lot[];
  pendingPhotos: Pick<ProductPhoto, 'photoId' | 'status' | 'error'>[];
  reviewer: 'cooperative' | 'admin';
}

export function sellerView(listing: Listing): SellerProduct {
  return {
    ...listing.product,
    packs: [...listing.variants]
      .sort((a, b) => (a.grams ?? 0) - (b.grams ?? 0) || a.price - b.price)
      .map((v) => ({
        id: v.id,
        ...(v.grams !== undefined ? { grams: v.grams } : { unit: v.unit }),
        label: packLabel(v),
        price: v.price,
        stock: v.stock,
      })),
    producer: producerCard(listing.seller),
    certificates: listing.certificates,
    lots: listing.lots,
    // An upload that never arrived shows as failed (it is recorded so on the next upload or poll).
    pendingPhotos: listing.photos
      .filter((photo) => photo.status !== 'ready')
      .map((photo) =>
        isStalePending(photo, Date.now())
          ? { ...photo, status: 'failed' as const, error: UPLOAD_MISSING }
          : photo,
      )
      .map(({ photoId, status, error }) => ({ photoId, status, ...(error ? { error } : {}) })),
    reviewer: listingReviewer(listing.seller),
  };
}

/** Everything stored under a product, and its seller. */
export async function loadListing(productId: string): Promise<Listing> {
  const { product, ...children } = await listingItems(productId);
  if (!product) throw notFound('product.not_found', 'Không tìm thấy sản phẩm / Product not found');
  return {
    product,
    ...children,
    seller: await requireProducer(product.producerId),
  };
}

/** Loads a listing the caller may manage (seller or its cooperative's manager). */
export async function listingForEditor(p: Principal, productId: string): Promise<Listing> {
  const listing = await loadListing(productId);
  if (!canManageListings(p, listing.seller) && !isAdmin(p)) {
    throw forbidden('product.not_yours', 'Bạn không quản lý sản phẩm này / You do not manage this listing');
  }
  return listing;
}

/** Loads a listing the caller may change: its seller or its cooperative's manager (not admins). */
export async function listingForWriter(p: Principal, productId: string): Promise<Listing> {
  const listing = await loadListing(productId);
  requireEditor(p, listing);
  return listing;
}

function requireEditor(p: Principal, listing: Listing): void {
  if (!canManageListings(p, listing.seller)) {
    throw forbidden('product.not_yours', 'Bạn không quản lý sản phẩm này / You do not manage this listing');
  }
}

const CONSENT_SECONDS = 15 * 60;

/**
 * Consent codes are limited like sign-in codes (auth/sign-in.ts SIGN_IN_LIMITS): a household gets
 * at most 5 codes per 15 minutes, and a code may be tried 5 times; then that consent is used up,
 * the right code included, and the manager asks for a new one.
 */
export const CONSENT_LIMITS = {
  codesPerHousehold: 5,
  windowSeconds: 15 * 60,
  attemptsPerConsent: 5,
} as const;

/** A manager asks a member household to agree to a proxy listing: a code goes to the household's phone. */
export async function startProxyConsent(
  p: Principal,
  householdId: string,
): Promise<{ consentId: string; expiresIn: number }> {
  const household = await requireProducer(householdId);
  if (!managesMember(p, household)) {
    throw forbidden(
      'consent.not_member',
      'Hộ này không phải thành viên hợp tác xã của bạn / Not a member of your cooperative',
    );
  }
  if (
    !(await hit(
      `consent-household#${householdId}`,
      CONSENT_LIMITS.codesPerHousehold,
      CONSENT_LIMITS.windowSeconds,
    ))
  ) {
    throw rateLimited(
      'consent.too_many_codes',
      'Đã gửi quá nhiều mã đồng ý cho hộ này, hãy thử lại sau 15 phút / Too many consent codes for this household, try again in 15 minutes',
    );
  }
  const consentId = newId();
  const code = newOneTimeCode();
  await putConsent(consentId, {
    householdId,
    managerSub: p.sub,
    codeHash: codeDigest(consentId, code),
    expiresAt: Math.floor(Date.now() / 1000) + CONSENT_SECONDS,
  });
  await messenger().send({
    to: household.phone,
    kind: 'consent_code',
    text: `${p.producer?.name ?? 'Hợp tác xã'} xin đăng sản phẩm thay cho hộ ${household.name}. Nếu đồng ý, đọc mã ${code} cho quản lý HTX (hiệu lực 15 phút).`,
  });
  return { consentId, expiresIn: CONSENT_SECONDS };
}

/** Checks and uses up a consent: one listing per code. Returns the Delete to put in the transaction. */
async function consumeConsent(
  p: Principal,
  proof: NonNullable<CreateProductBody['onBehalfOf']>,
): Promise<TransactItem> {
  const consent = await getConsent(proof.consentId);
  // Every try counts, before the code is compared: after the last one the consent is used up.
  if (consent && !(await countConsentAttempt(proof.consentId, CONSENT_LIMITS.attemptsPerConsent))) {
    throw rateLimited(
      'consent.locked',
      'Nhập sai mã đồng ý quá nhiều lần; hãy xin mã mới cho hộ / Too many wrong consent codes: ask the household for a new one',
    );
  }
  const valid =
    consent &&
    consent.householdId === proof.householdId &&
    consent.managerSub === p.sub &&
    consent.expiresAt * 1000 > Date.now() &&
    codeMatches(consent.codeHash, proof.consentId, proof.code);
  if (!valid)
    throw invalid('consent.invalid', 'Mã đồng ý không đúng hoặc đã hết hạn / Wrong or expired consent code');
  return consentUsedUp(proof.consentId, consent.codeHash);
}

/**
 * The per-seller listing cap (`SELLER_LISTING_CAP`, shared/config.ts): archived listings do not count, so a
 * seller at the cap archives an old one to add another. Two creations at once may pass it by one.
 */
async function requireListingRoom(seller: Producer): Promise<void> {
  const cap = config().sellerListingCap;
  if ((await countLiveListings(seller.id)) >= cap) {
    throw conflict(
      'product.listing_cap',
      `Mỗi nhà sản xuất có tối đa ${cap} sản phẩm (không tính sản phẩm đã lưu trữ); hãy lưu trữ sản phẩm cũ trước khi thêm / At most ${cap} listings per seller, archived ones aside: archive an old one first`,
    );
  }
}

export async function createProduct(p: Principal, body: CreateProductBody): Promise<SellerProduct> {
  let seller = p.producer;
  let listedBy: Product['listedBy'];
  const extra: TransactItem[] = [];
  const at = now();
  if (body.onBehalfOf) {
    const household = await requireProducer(body.onBehalfOf.householdId);
    if (!managesMember(p, household)) {
      throw forbidden(
        'product.not_member',
        'Hộ này không phải thành viên hợp tác xã của bạn / Not a member of your cooperative',
      );
    }
    extra.push(await consumeConsent(p, body.onBehalfOf));
    seller = household;
    listedBy = {
      sub: p.sub,
      cooperativeId: p.producer!.id,
      consent: { consentId: body.onBehalfOf.consentId, via: 'sms_code', confirmedAt: at },
    };
  }
  if (!seller)
    throw forbidden('producer.required', 'Hãy đăng ký nhà sản xuất trước / Sign up as a producer first');
  await requireListingRoom(seller);
  const id = newId();
  const base = slugify(body.name.vi) || 'san-pham';
  const product: Product = {
    id,
    slug: `${base}-${id.slice(-5)}`,
    producerId: seller.id,
    category: body.category,
    name: body.name,
    description: body.description,
    images: [],
    status: 'draft',
    createdAt: at,
    updatedAt: at,
    ...(listedBy ? { listedBy } : {}),
  };
  const variants: Variant[] = body.packs.map((pack) =>
    Variant.parse({ id: newId(), productId: id, ...pack }),
  );
  await products.create({ product, variants }, seller, {
    with: [
      ...extra,
      auditPut(db().tableName, seller.id, {
        at,
        actor: { sub: p.sub, role: actorRole(p, seller.id) },
        action: listedBy ? 'product.created_on_behalf' : 'product.created',
        subject: { type: 'product', id, name: product.name.vi },
        ...(listedBy ? { details: { consentId: listedBy.consent.consentId, via: 'sms_code' } } : {}),
      }),
    ],
  });
  return sellerView({ product, variants, certificates: [], lots: [], photos: [], seller });
}

/** Content edits of a listing in review or on sale send it back to review; price edits do not. */
export async function updateProduct(
  p: Principal,
  productId: string,
  body: UpdateProductBody,
): Promise<SellerProduct> {
  const listing = await loadListing(productId);
  requireEditor(p, listing);
  const { product, seller } = listing;
  if (product.status === 'archived')
    throw conflict('product.archived', 'Sản phẩm đã lưu trữ / The listing is archived');
  const at = now();
  // A content edit, a new pack or a deep price cut of a listing on sale goes back to review.
  const contentChanged =
    body.category !== undefined ||
    body.name !== undefined ||
    body.description !== undefined ||
    packChangesNeedReview(listing.variants, body.packs ?? []);
  const next: Product = {
    ...product,
    ...(body.category ? { category: body.category } : {}),
    ...(body.name ? { name: body.name } : {}),
    ...(body.description ? { description: body.description } : {}),
    status: contentChanged && product.status === 'published' ? 'in_review' : product.status,
    updatedAt: at,
  };
  const writes: TransactItem[] = [saveProduct(next, product, seller)];
  const variants = [...listing.variants];
  for (const change of body.packs ?? []) {
    if (change.id) {
      const index = variants.findIndex((v) => v.id === change.id);
      if (index < 0) throw invalid('product.unknown_pack', `Không có gói ${change.id} / Unknown pack`);
      variants[index] = { ...variants[index]!, price: change.price };
      writes.push(setPackPrice(productId, change.id, change.price));
    } else {
      const variant = Variant.parse({
        id: newId(),
        productId,
        ...(change.grams !== undefined ? { grams: change.grams } : { unit: change.unit }),
        price: change.price,
        stock: change.stock ?? 0,
      });
      variants.push(variant);
      writes.push(putNewPack(variant));
    }
  }
  if (variants.length > PRODUCT_LIMITS.variantsMax) {
    throw invalid(
      'product.variant_count',
      `Tối đa ${PRODUCT_LIMITS.variantsMax} gói / At most ${PRODUCT_LIMITS.variantsMax} packs`,
    );
  }
  writes.push(
    auditPut(db().tableName, seller.id, {
      at,
      actor: { sub: p.sub, role: actorRole(p, seller.id) },
      action: 'product.updated',
      subject: { type: 'product', id: productId, name: next.name.vi },
      details: { fields: Object.keys(body) },
    }),
  );
  await transactWrite(writes).catch(concurrentChange('product'));
  return sellerView({ ...listing, product: next, variants });
}

async function transition(
  p: Principal,
  listing: Listing,
  next: Product,
  action: string,
  reason?: string,
): Promise<SellerProduct> {
  await transactWrite([
    saveProduct(next, listing.product, listing.seller),
    auditPut(db().tableName, listing.seller.id, {
      at: next.updatedAt,
      actor: { sub: p.sub, role: actorRole(p, listing.seller.id) },
      action,
      subject: { type: 'product', id: next.id, name: next.name.vi },
      ...(reason ? { reason } : {}),
    }),
  ]).catch(concurrentChange('product'));
  return sellerView({ ...listing, product: next });
}

export async function submitProduct(p: Principal, productId: string): Promise<SellerProduct> {
  const listing = await loadListing(productId);
  requireEditor(p, listing);
  if (listing.product.status !== 'draft') {
    throw conflict('product.not_draft', 'Chỉ gửi duyệt được bản nháp / Only drafts can be submitted');
  }
  if (listing.seller.verification.status !== 'verified') {
    throw conflict(
      'producer.not_verified',
      'Nhà sản xuất chưa được xác minh / The producer is not verified yet',
    );
  }
  return transition(
    p,
    listing,
    { ...listing.product, status: 'in_review', updatedAt: now() },
    'product.submitted',
  );
}

export async function decideProduct(
  p: Principal,
  productId: string,
  decision: Decision,
): Promise<SellerProduct> {
  const listing = await loadListing(productId);
  if (!canDecideListing(p, listing.seller)) {
    throw forbidden('product.not_reviewer', 'Bạn không duyệt sản phẩm này / You do not review this listing');
  }
  if (listing.product.status !== 'in_review')
    throw conflict('product.not_in_review', 'Sản phẩm không chờ duyệt / Not in review');
  const at = now();
  const approved = decision.decision === 'approve';
  const next: Product = {
    ...listing.product,
    status: approved ? 'published' : 'draft',
    ...(approved ? { publishedAt: listing.product.publishedAt ?? at } : {}),
    review: {
      decision: decision.decision,
      ...(decision.reason ? { reason: decision.reason } : {}),
      at,
      by: p.sub,
    },
    updatedAt: at,
  };
  const view = await transition(
    p,
    listing,
    next,
    approved ? 'product.approved' : 'product.rejected',
    decision.reason,
  );
  await notifyListingDecision(listing.seller, next, decision.decision, decision.reason);
  return view;
}

export async function archiveProduct(p: Principal, productId: string): Promise<SellerProduct> {
  const listing = await loadListing(productId);
  if (!canManageListings(p, listing.seller) && !isAdmin(p)) {
    throw forbidden('product.not_yours', 'Bạn không quản lý sản phẩm này / You do not manage this listing');
  }
  if (listing.product.status === 'archived') return sellerView(listing);
  return transition(
    p,
    listing,
    { ...listing.product, status: 'archived', updatedAt: now() },
    'product.archived',
  );
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

/**
 * Adds or removes stock; never below zero; the change and its history entry go together. With
 * `expectedStock` (a change decided offline on that number) it applies only while the pack still
 * has it: an order or another phone in between is a 409 `stock.changed`, for the household to
 * settle, rather than a delta added to a number it never saw.
 */
export async function adjustStock(
  p: Principal,
  productId: string,
  change: { variantId: string; delta: number; reason: string; expectedStock?: number },
): Promise<StockChange> {
  const listing = await loadListing(productId);
  requireEditor(p, listing);
  const variant = listing.variants.find((v) => v.id === change.variantId);
  if (!variant) throw invalid('product.unknown_pack', 'Không có gói này / Unknown pack');
  if (change.expectedStock !== undefined && variant.stock !== change.expectedStock) {
    throw conflict(
      'stock.changed',
      `Số gói đã đổi từ ${change.expectedStock} thành ${variant.stock}; hãy chọn số muốn giữ / Stock changed from ${change.expectedStock} to ${variant.stock}`,
    );
  }
  const at = now();
  const entry: StockChange = {
    variantId: variant.id,
    delta: change.delta,
    before: variant.stock,
    after: variant.stock + change.delta,
    reason: change.reason,
    at,
    by: p.sub,
  };
  if (entry.after < 0) {
    throw conflict('stock.negative', `Chỉ còn ${variant.stock} gói / Only ${variant.stock} in stock`);
  }
  await transactWrite([
    setPackStock(productId, variant.id, entry.before, entry.after),
    putStockChange(productId, { ...entry }),
    auditPut(db().tableName, listing.seller.id, {
      at,
      actor: { sub: p.sub, role: actorRole(p, listing.seller.id) },
      action: 'stock.adjusted',
      subject: {
        type: 'stock',
        id: variant.id,
        name: `${listing.product.name.vi} · ${packLabel(variant)}`,
      },
      reason: change.reason,
      details: { delta: entry.delta, before: entry.before, after: entry.after },
    }),
  ]).catch(concurrentChange('stock'));
  return entry;
}

/**
 * All the caller's listings (a manager's include its members'), or a reviewer's whole queue, for
 * in-process use (expiring certificates); the API pages them (lists.ts).
 */
export async function listSellerProducts(p: Principal, scope: 'mine' | 'review'): Promise<SellerProduct[]> {
  let productIds: string[];
  if (scope === 'review') {
    const queues = [
      ...(isAdmin(p) ? [REVIEW_QUEUES.admin] : []),
      ...(p.producer?.kind === 'cooperative' && p.producer.verification.status === 'verified'
        ? [REVIEW_QUEUES.cooperative(p.producer.id)]
        : []),
    ];
    productIds = (await Promise.all(queues.map(productIdsInReview))).flat();
  } else {
    if (!p.producer) return [];
    const sellers = [p.producer.id];
    if (p.producer.kind === 'cooperative' && p.producer.verification.status === 'verified') {
      sellers.push(...(await producers.listMembers(p.producer.id)).map((m) => m.id));
    }
    productIds = (await Promise.all(sellers.map(productIdsOfSeller))).flat();
  }
  const listings = await Promise.all(productIds.map((id) => loadListing(id)));
  return listings.map(sellerView);
}
