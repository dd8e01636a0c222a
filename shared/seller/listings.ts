/**
 * Listings in the seller center: create (also on behalf of a member household, with consent),
 * edit, submit for review, decide, archive, stock with history. Ownership is checked on every
 * call against the listing's seller; every change that matters is audited in its transaction.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../db/audit.ts';
import { db } from '../db/client.ts';
import {
  catalogSort,
  concurrentChange,
  fromItem,
  keys,
  newId,
  slugGuard,
  uniqueSlugError,
  type TransactItem,
} from '../db/items.ts';
import { producers } from '../db/producers.ts';
import { countLiveListings } from '../db/pages.ts';
import { productItem, variantItem } from '../db/products.ts';
import { sellerListingCap } from '../config.ts';
import type { ProducerCard } from '../domain/catalog-view.ts';
import { producerCard } from '../domain/catalog-view.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
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
import { packLabel, PRODUCT_LIMITS, Product, Variant } from '../domain/product.ts';
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
  const { doc, tableName } = db();
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.product(productId).pk },
      ConsistentRead: true,
    }),
  );
  const productItemRaw = Items.find((i) => i.type === 'product');
  if (!productItemRaw) throw notFound('product.not_found', 'Không tìm thấy sản phẩm / Product not found');
  const of = <T>(type: string) => Items.filter((i) => i.type === type).map((i) => fromItem<T>(i));
  const product = fromItem<Product>(productItemRaw);
  return {
    product,
    variants: of<Variant>('variant'),
    certificates: of<OcopCertificate>('ocop'),
    lots: of<Lot>('lot'),
    photos: of<ProductPhoto>('photo'),
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

/** The product item write with an optimistic lock on `updatedAt`. */
function saveProduct(tableName: string, next: Product, previous: Product, seller: Producer): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: productItem(Product.parse(next), seller),
      ConditionExpression: 'updatedAt = :previous',
      ExpressionAttributeValues: { ':previous': previous.updatedAt },
    },
  };
}

const consentKey = (consentId: string) => ({ pk: `CONSENT#${consentId}`, sk: 'CONSENT' });
const CONSENT_SECONDS = 15 * 60;

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
  const consentId = newId();
  const code = newOneTimeCode();
  const { doc, tableName } = db();
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...consentKey(consentId),
        type: 'consent',
        householdId,
        managerSub: p.sub,
        codeHash: codeDigest(consentId, code),
        expiresAt: Math.floor(Date.now() / 1000) + CONSENT_SECONDS,
      },
    }),
  );
  await messenger().send({
    to: household.phone,
    kind: 'consent_code',
    text: `${p.producer?.name ?? 'Hợp tác xã'} xin đăng sản phẩm thay cho hộ ${household.name}. Nếu đồng ý, đọc mã ${code} cho quản lý HTX (hiệu lực 15 phút). / Consent code for a listing on your behalf: ${code}`,
  });
  return { consentId, expiresIn: CONSENT_SECONDS };
}

/** Checks and uses up a consent: one listing per code. Returns the Delete to put in the transaction. */
async function consumeConsent(
  p: Principal,
  proof: NonNullable<CreateProductBody['onBehalfOf']>,
): Promise<TransactItem> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: consentKey(proof.consentId), ConsistentRead: true }),
  );
  const valid =
    Item &&
    Item.householdId === proof.householdId &&
    Item.managerSub === p.sub &&
    Number(Item.expiresAt) * 1000 > Date.now() &&
    codeMatches(String(Item.codeHash), proof.consentId, proof.code);
  if (!valid)
    throw invalid('consent.invalid', 'Mã đồng ý không đúng hoặc đã hết hạn / Wrong or expired consent code');
  return {
    Delete: {
      TableName: tableName,
      Key: consentKey(proof.consentId),
      ConditionExpression: 'codeHash = :hash',
      ExpressionAttributeValues: { ':hash': Item.codeHash },
    },
  };
}

/**
 * The per-seller listing cap (config.ts `sellerListingCap`): archived listings do not count, so a
 * seller at the cap archives an old one to add another. Two creations at once may pass it by one.
 */
async function requireListingRoom(seller: Producer): Promise<void> {
  const cap = sellerListingCap();
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
  const { doc, tableName } = db();
  const put = (Item: Record<string, unknown>) => ({
    Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  await doc
    .send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: slugGuard(tableName, 'product', product.slug, id) },
          put(productItem(Product.parse(product), seller)),
          ...variants.map((v) => put(variantItem(v))),
          ...extra,
          auditPut(tableName, seller.id, {
            at,
            actor: { sub: p.sub, role: actorRole(p, seller.id) },
            action: listedBy ? 'product.created_on_behalf' : 'product.created',
            subject: { type: 'product', id, name: product.name.vi },
            ...(listedBy ? { details: { consentId: listedBy.consent.consentId, via: 'sms_code' } } : {}),
          }),
        ],
      }),
    )
    .catch(uniqueSlugError('product', product.slug));
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
  const { doc, tableName } = db();
  const writes: TransactItem[] = [saveProduct(tableName, next, product, seller)];
  const variants = [...listing.variants];
  for (const change of body.packs ?? []) {
    if (change.id) {
      const index = variants.findIndex((v) => v.id === change.id);
      if (index < 0) throw invalid('product.unknown_pack', `Không có gói ${change.id} / Unknown pack`);
      variants[index] = { ...variants[index]!, price: change.price };
      writes.push({
        Update: {
          TableName: tableName,
          Key: keys.variant(productId, change.id),
          UpdateExpression: 'SET price = :price, catalogSort = :changed',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':price': change.price,
            ':changed': catalogSort('variant', change.id),
          },
        },
      });
    } else {
      const variant = Variant.parse({
        id: newId(),
        productId,
        ...(change.grams !== undefined ? { grams: change.grams } : { unit: change.unit }),
        price: change.price,
        stock: change.stock ?? 0,
      });
      variants.push(variant);
      writes.push({
        Put: {
          TableName: tableName,
          Item: variantItem(variant),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
  }
  if (variants.length > PRODUCT_LIMITS.variantsMax) {
    throw invalid(
      'product.variant_count',
      `Tối đa ${PRODUCT_LIMITS.variantsMax} gói / At most ${PRODUCT_LIMITS.variantsMax} packs`,
    );
  }
  writes.push(
    auditPut(tableName, seller.id, {
      at,
      actor: { sub: p.sub, role: actorRole(p, seller.id) },
      action: 'product.updated',
      subject: { type: 'product', id: productId, name: next.name.vi },
      details: { fields: Object.keys(body) },
    }),
  );
  await doc.send(new TransactWriteCommand({ TransactItems: writes })).catch(concurrentChange('product'));
  return sellerView({ ...listing, product: next, variants });
}

async function transition(
  p: Principal,
  listing: Listing,
  next: Product,
  action: string,
  reason?: string,
): Promise<SellerProduct> {
  const { doc, tableName } = db();
  await doc
    .send(
      new TransactWriteCommand({
        TransactItems: [
          saveProduct(tableName, next, listing.product, listing.seller),
          auditPut(tableName, listing.seller.id, {
            at: next.updatedAt,
            actor: { sub: p.sub, role: actorRole(p, listing.seller.id) },
            action,
            subject: { type: 'product', id: next.id, name: next.name.vi },
            ...(reason ? { reason } : {}),
          }),
        ],
      }),
    )
    .catch(concurrentChange('product'));
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
  return transition(p, listing, next, approved ? 'product.approved' : 'product.rejected', decision.reason);
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

/** Adds or removes stock; never below zero; the change and its history entry go together. */
export async function adjustStock(
  p: Principal,
  productId: string,
  change: { variantId: string; delta: number; reason: string },
): Promise<StockChange> {
  const listing = await loadListing(productId);
  requireEditor(p, listing);
  const variant = listing.variants.find((v) => v.id === change.variantId);
  if (!variant) throw invalid('product.unknown_pack', 'Không có gói này / Unknown pack');
  const { doc, tableName } = db();
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
  await doc
    .send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.variant(productId, variant.id),
              // catalogSort: the change reaches every catalog read model at its next poll.
              UpdateExpression: 'SET stock = :after, catalogSort = :changed',
              // The stock read above must still be current: no lost update, never negative.
              ConditionExpression: 'stock = :before',
              ExpressionAttributeValues: {
                ':before': entry.before,
                ':after': entry.after,
                ':changed': catalogSort('variant', variant.id),
              },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.product(productId),
                sk: `STOCK#${at}#${newId()}`,
                type: 'stock_change',
                ...entry,
              },
            },
          },
          auditPut(tableName, listing.seller.id, {
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
        ],
      }),
    )
    .catch(concurrentChange('stock'));
  return entry;
}

/**
 * All the caller's listings (a manager's include its members'), or a reviewer's whole queue, for
 * in-process use (expiring certificates); the API pages them (lists.ts).
 */
export async function listSellerProducts(p: Principal, scope: 'mine' | 'review'): Promise<SellerProduct[]> {
  const { doc, tableName } = db();
  let productIds: string[];
  if (scope === 'review') {
    const queues = [
      ...(isAdmin(p) ? ['REVIEW#admin'] : []),
      ...(p.producer?.kind === 'cooperative' && p.producer.verification.status === 'verified'
        ? [`REVIEW#cooperative#${p.producer.id}`]
        : []),
    ];
    const pages = await Promise.all(
      queues.map((queue) =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'reviewQueue',
            KeyConditionExpression: 'reviewKey = :q',
            ExpressionAttributeValues: { ':q': queue },
          }),
        ),
      ),
    );
    productIds = pages.flatMap((page) => (page.Items ?? []).map((i) => String(i.id)));
  } else {
    if (!p.producer) return [];
    const sellers = [p.producer.id];
    if (p.producer.kind === 'cooperative' && p.producer.verification.status === 'verified') {
      sellers.push(...(await producers.listMembers(p.producer.id)).map((m) => m.id));
    }
    const pages = await Promise.all(
      sellers.map((seller) =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byOwner',
            KeyConditionExpression: 'ownerKey = :o AND begins_with(ownerSort, :p)',
            ExpressionAttributeValues: { ':o': `PRODUCER#${seller}`, ':p': 'PRODUCT#' },
            ScanIndexForward: false,
          }),
        ),
      ),
    );
    productIds = pages.flatMap((page) => (page.Items ?? []).map((i) => String(i.id)));
  }
  const listings = await Promise.all(productIds.map((id) => loadListing(id)));
  return listings.map(sellerView);
}
