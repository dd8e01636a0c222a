/**
 * The ownership matrix, generated from the route table: every route whose path takes an id (and
 * the seller routes scoped to the caller without one), called by each kind of caller, against
 * objects of `member` (a household of cooperative A) and of cooperative A as fulfiller. A route
 * added to ROUTES with an id and no row here fails the first test. Each denied call answers
 * 401/403/404 and writes nothing (every DynamoDB write is counted while it runs).
 *
 * A = allowed (past every access check; the answer may still be 400/409 about the object's state),
 * D = denied, N = allowed in but the object does not exist (404; ids of unmatched transfers),
 * P = public: nobody is asked to sign in (catalog pages). Admins may archive any listing (a
 * takedown) and set any cooperative's shipping rules; they do not edit listings.
 */
import { invoices } from '../../shared/db/invoices.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../functions/routes.ts';
import { EMULATOR_TOKENS } from '../../infra/local/carrier-emulators/index.ts';
import { accounts } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { photoMediaKey, photos } from '../../shared/db/photos.ts';
import { producers } from '../../shared/db/producers.ts';
import { createMockProducer } from '../fixtures.ts';
import { countWrites, type WriteCounter } from '../write-counter.ts';
import { sendTo, type Sent } from './api-world.ts';
import {
  confirmationCode,
  createShop,
  orderBody,
  place,
  placeUnconfirmed,
  SHOPPER,
  type Shop,
} from './orders-world.ts';

type Caller =
  | 'anonymous'
  | 'shopper'
  | 'owner'
  | 'otherHousehold'
  | 'sameCoopMember'
  | 'otherManager'
  | 'rightManager'
  | 'admin';
const CALLERS: Caller[] = [
  'anonymous',
  'shopper',
  'owner',
  'otherHousehold',
  'sameCoopMember',
  'otherManager',
  'rightManager',
  'admin',
];
type Expect = 'A' | 'D' | 'N' | 'P';
/** A row in caller order: anonymous shopper owner otherHousehold sameCoopMember otherManager rightManager admin. */
const row = (cells: string): Record<Caller, Expect> =>
  Object.fromEntries(CALLERS.map((caller, i) => [caller, cells.split(' ')[i] as Expect])) as Record<
    Caller,
    Expect
  >;

// The shopper holds the order's phone and the payment's client secret; nobody else does.
// prettier-ignore
const MATRIX: Record<string, Record<Caller, Expect>> = {
  //                          anon shop own  oHh  sCoop oMgr rMgr admin
  getProduct:               row('P P P P P P P P'),
  getProducer:              row('P P P P P P P P'),
  getLotTrace:              row('P P P P P P P P'),
  requestMembership:        row('D D A D D D D D'),
  decideMembership:         row('D D D D D D A D'),
  decideProducer:           row('D D D D D D D A'),
  getProducerIdentity:      row('D D D D D D D A'),
  listAudit:                row('D D A D D D A A'),
  listMembers:              row('D D D D D D A A'),
  getSellerProduct:         row('D D A D D D A A'),
  updateProduct:            row('D D A D D D A D'),
  submitProduct:            row('D D A D D D A D'),
  decideProduct:            row('D D D D D D A A'),
  archiveProduct:           row('D D A D D D A A'),
  adjustStock:              row('D D A D D D A D'),
  listStockHistory:         row('D D A D D D A A'),
  uploadProductPhoto:       row('D D A D D D A D'),
  getProductPhoto:          row('D D A D D D A A'),
  deleteProductPhoto:       row('D D A D D D A D'),
  orderProductPhotos:       row('D D A D D D A D'),
  createLot:                row('D D A D D D A D'),
  getLotLabel:              row('D D A D D D A A'),
  addOcopCertificate:       row('D D A D D D A D'),
  verifyOcopCertificate:    row('D D D D D D D A'),
  listExpiringCertificates: row('D A A A A A A A'),
  getOrder:                 row('D A D D D D D D'),
  confirmOrder:             row('D A D D D D D D'),
  cancelOrder:              row('D A D D D D D D'),
  repayOrder:               row('D A D D D D D D'),
  listBoardOrders:          row('D D D D D D A A'),
  getShippingRules:         row('D D D D D D A A'),
  setShippingRules:         row('D D D D D D A A'),
  getMarketPanel:           row('D D A D D D D D'),
  listReferencePrices:      row('D D D D D D A D'),
  setReferencePrices:       row('D D D D D D A D'),
  getBoardOrder:            row('D D D D D D A A'),
  changeSubOrderStatus:     row('D D D D D D A A'),
  createShipment:           row('D D D D D D A A'),
  cancelShipment:           row('D D D D D D A A'),
  getShipmentLabel:         row('D D D D D D A A'),
  importCodStatement:       row('D D D D D D A A'),
  carrierWebhook:           row('P P P P P P P P'),
  matchTransfer:            row('D D D D D D D N'),
  getPaymentStatus:         row('D A D D D D D D'),
  recordManualRefund:       row('D D D D D D A A'),
  listProductReviews:       row('P P P P P P P P'),
  downloadOpenData:         row('P P P P P P P P'),
  getIocExport:             row('D D D D D D D D'),
  getReviewPhoto:           row('D A D D D D D D'),
  replyToReview:            row('D D A D D D A D'),
  hideReview:               row('D D D D D D D A'),
  reservePreorder:          row('P P P P P P P P'),
  payPreorderBalance:       row('D A D D D D D D'),
  createPreorderWindow:     row('D D D D D D A A'),
  getPreorderBoard:         row('D D D D D D A A'),
  allocatePreorder:         row('D D D D D D A A'),
  settlePreorderWeight:     row('D D D D D D A A'),
  getInvoiceSettings:       row('D D D D D D A A'),
  setInvoiceSettings:       row('D D D D D D A A'),
  listInvoices:             row('D D D D D D A A'),
  getInvoice:               row('D D D D D D A A'),
  listOrderInvoices:        row('D A D D D D D D'),
};

/** Routes that take an id, plus the caller-scoped reads whose answer must hold only the caller's own. */
const MATRIX_ROUTES = ROUTES.filter(
  (r) => r.path.includes('{') || r.operationId === 'listExpiringCertificates',
);
const route = (operationId: string): RouteDefinition => ROUTES.find((r) => r.operationId === operationId)!;

let shop: Shop;
let shopperToken: string;
let writes: WriteCounter;
let expiringProductId = '';

const token = (caller: Caller): string | undefined =>
  ({
    anonymous: undefined,
    shopper: shopperToken,
    owner: shop.actors.member.token,
    otherHousehold: shop.actors.independent.token,
    sameCoopMember: shop.actors.otherMember.token,
    otherManager: shop.actors.managerB.token,
    rightManager: shop.actors.managerA.token,
    admin: shop.actors.admin.token,
  })[caller];

const asOwner = (operationId: string, path: string, body?: unknown) =>
  sendTo(route(operationId), path, {
    token: shop.actors.member.token,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A fresh listing of `member`, in the state the route needs. */
async function listing(state: 'draft' | 'in_review' = 'draft'): Promise<{ id: string; variantId: string }> {
  const created = await asOwner('createProduct', '/api/seller/products', {
    category: 'che-non',
    name: { vi: 'Chè nõn kiểm thử' },
    description: { vi: 'Mô tả' },
    packs: [{ grams: 200, price: 180_000, stock: 10 }],
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  if (state === 'in_review') {
    expect((await asOwner('submitProduct', `/api/seller/products/${id}/submit`)).status).toBe(200);
  }
  return { id, variantId: created.body.packs[0].id as string };
}

/** A COD order of member's tea, fulfilled by cooperative A. */
async function order(): Promise<{ code: string; paymentId: string; clientSecret: string }> {
  const placed = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }]));
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return {
    code: placed.body.order.code,
    paymentId: placed.body.payment.id,
    clientSecret: placed.body.payment.client_secret,
  };
}

/** A delivered order of member's tea (cooperative A fulfils it) and the shopper's review of it. */
async function delivered(): Promise<string> {
  const { code } = await order();
  for (const to of ['confirmed', 'packed', 'shipped', 'delivered']) {
    const moved = await sendTo(
      route('changeSubOrderStatus'),
      `/api/board/${shop.coopA.id}/orders/${code}/status`,
      {
        token: shop.actors.managerA.token,
        body: JSON.stringify({
          to,
          ...(to === 'shipped' ? { carrier: 'Viettel Post', trackingNumber: 'VTP9' } : {}),
          ...(to === 'delivered' ? { cashCollected: true } : {}),
        }),
      },
    );
    expect(moved.status, moved.text).toBe(200);
  }
  return code;
}

async function reviewId(): Promise<string> {
  const code = await delivered();
  const created = await sendTo(route('createReview'), '/api/reviews', {
    body: JSON.stringify({
      orderCode: code,
      phone: SHOPPER.phone,
      variantId: shop.packs.memberTea.id,
      stars: 4,
      text: 'Chè ngon.',
    }),
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** An open pre-order window of cooperative A for member's tea (opened once, by its manager). */
let openWindowId: string | undefined;
const vnDayPlus = (days: number) =>
  new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const preorderWindowBody = () => ({
  productId: shop.packs.memberTea.productId,
  season: 'Chè xuân kiểm thử',
  opensOn: vnDayPlus(0),
  closesOn: vnDayPlus(10),
  harvestFrom: vnDayPlus(12),
  harvestTo: vnDayPlus(20),
  packs: [{ grams: 200, price: 180_000 }],
  totalKg: 100,
  quotaKg: 50,
  depositPercent: 30,
  graceDays: 3,
});
async function preorderWindow(): Promise<string> {
  if (openWindowId) return openWindowId;
  const opened = await sendTo(route('createPreorderWindow'), `/api/board/${shop.coopA.id}/preorders`, {
    token: shop.actors.managerA.token,
    body: JSON.stringify(preorderWindowBody()),
  });
  expect(opened.status, opened.text).toBe(201);
  openWindowId = opened.body.id as string;
  return openWindowId;
}
const reservationBody = {
  lines: [{ packId: 'p1', quantity: 1 }],
  contact: SHOPPER,
  delivery: { method: 'pickup' },
  paymentMethod: 'vietqr',
  balanceMethod: 'online',
};
/** A reservation of that window waiting for its VietQR deposit. */
async function preorderReservation(): Promise<string> {
  const windowId = await preorderWindow();
  const reserved = await sendTo(route('reservePreorder'), `/api/preorders/${windowId}/reservations`, {
    body: JSON.stringify(reservationBody),
    headers: { 'idempotency-key': `k_${Math.random().toString(36).slice(2)}${Date.now()}` },
  });
  expect(reserved.status, reserved.text).toBe(201);
  return reserved.body.order.code as string;
}

/** Sets up what the route needs, then returns the call to count and judge. */
async function prepare(operationId: string, caller: Caller): Promise<() => Promise<Sent>> {
  const t = token(caller);
  const send = (path: string, body?: unknown) => () =>
    sendTo(route(operationId), path, {
      token: t,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const secretHolder = caller === 'shopper';
  switch (operationId) {
    case 'getProduct':
      return send('/api/catalog/products/khong-co-san-pham-nay');
    case 'getProducer':
      return send(`/api/catalog/producers/${shop.coopA.slug}`);
    case 'getLotTrace':
      return send('/api/catalog/lots/TN-NOPE0000');
    case 'requestMembership': {
      // A household with no cooperative yet asks to join B; `owner` is that household's account here.
      const household = await producers.create(createMockProducer({ kind: 'household' }));
      const account = await accounts.create({
        sub: `household-${household.id}`,
        phone: `+8497${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
        groups: ['producer'],
        producerId: household.id,
        createdAt: new Date().toISOString(),
      });
      const own = (await shop.issuer.sign(account)).accessToken;
      return () =>
        sendTo(route(operationId), `/api/producers/${household.id}/membership`, {
          ...(caller === 'owner' ? { token: own } : t ? { token: t } : {}),
          body: JSON.stringify({ cooperativeSlug: shop.coopB.slug }),
        });
    }
    case 'decideMembership': {
      const applicant = await producers.create(
        createMockProducer({
          kind: 'household',
          verification: { status: 'pending' },
          membership: { cooperativeId: shop.coopA.id, status: 'requested' },
        }),
      );
      return send(`/api/producers/${applicant.id}/membership/decision`, { decision: 'approve' });
    }
    case 'decideProducer': {
      const pending = await producers.create(
        createMockProducer({ kind: 'household', verification: { status: 'pending' } }),
      );
      return send(`/api/producers/${pending.id}/verification`, { decision: 'approve' });
    }
    case 'getProducerIdentity':
      return send(`/api/admin/producers/${shop.member.id}/identity`);
    case 'listAudit':
      return send(`/api/producers/${shop.member.id}/audit`);
    case 'listMembers':
      return send(`/api/cooperatives/${shop.coopA.id}/members?status=approved`);
    case 'getSellerProduct':
      return send(`/api/seller/products/${(await listing()).id}`);
    case 'updateProduct':
      return send(`/api/seller/products/${(await listing()).id}`, { name: { vi: 'Tên mới' } });
    case 'submitProduct':
      return send(`/api/seller/products/${(await listing()).id}/submit`);
    case 'decideProduct':
      return send(`/api/seller/products/${(await listing('in_review')).id}/decision`, {
        decision: 'approve',
      });
    case 'archiveProduct':
      return send(`/api/seller/products/${(await listing()).id}/archive`);
    case 'adjustStock': {
      const { id, variantId } = await listing();
      return send(`/api/seller/products/${id}/stock`, { variantId, delta: 5, reason: 'Nhập kho' });
    }
    case 'listStockHistory':
      return send(`/api/seller/products/${(await listing()).id}/stock`);
    case 'uploadProductPhoto':
      return send(`/api/seller/products/${(await listing()).id}/photos`, {
        contentType: 'image/jpeg',
        bytes: 2048,
      });
    case 'getProductPhoto': {
      const { id } = await listing();
      const slot = await asOwner('uploadProductPhoto', `/api/seller/products/${id}/photos`, {
        contentType: 'image/jpeg',
        bytes: 2048,
      });
      expect(slot.status, slot.text).toBeLessThan(300);
      return send(`/api/seller/products/${id}/photos/${slot.body.photoId}`);
    }
    case 'deleteProductPhoto':
    case 'orderProductPhotos': {
      // Two processed photos in the gallery.
      const { id } = await listing();
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const slot = await asOwner('uploadProductPhoto', `/api/seller/products/${id}/photos`, {
          contentType: 'image/jpeg',
          bytes: 2048,
        });
        expect(slot.status, slot.text).toBeLessThan(300);
        const photoId = slot.body.photoId as string;
        await photos.complete(id, photoId, {
          image: { key: photoMediaKey(id, photoId), alt: 'Ảnh', width: 640, height: 480 },
        });
        ids.push(photoId);
      }
      return operationId === 'deleteProductPhoto'
        ? send(`/api/seller/products/${id}/photos/${ids[0]}`)
        : send(`/api/seller/products/${id}/photos/order`, { photoIds: [...ids].reverse() });
    }
    case 'createLot':
      return send(`/api/seller/products/${(await listing()).id}/lots`, {
        harvestDate: '2026-03-01',
        season: 'Vụ xuân 2026',
        growingAreaCode: 'TN-01',
      });
    case 'getLotLabel': {
      const { id } = await listing();
      const lot = await asOwner('createLot', `/api/seller/products/${id}/lots`, {
        harvestDate: '2026-03-01',
        season: 'Vụ xuân 2026',
        growingAreaCode: 'TN-01',
      });
      expect(lot.status, lot.text).toBe(201);
      return send(`/api/seller/lots/${lot.body.traceCode}/label?format=svg`);
    }
    case 'addOcopCertificate':
      return send(`/api/seller/products/${(await listing()).id}/ocop`, CERTIFICATE);
    case 'verifyOcopCertificate': {
      const { id } = await listing();
      const cert = await asOwner('addOcopCertificate', `/api/seller/products/${id}/ocop`, CERTIFICATE);
      expect(cert.status, cert.text).toBe(201);
      return send(`/api/seller/products/${id}/ocop/${cert.body.id}/verification`, { decision: 'approve' });
    }
    case 'listExpiringCertificates': {
      // A verified certificate of member's listing that runs out in 20 days.
      const { id } = await listing();
      const soon = new Date(Date.now() + 20 * 86_400_000);
      soon.setUTCFullYear(soon.getUTCFullYear() - 3);
      const cert = await asOwner('addOcopCertificate', `/api/seller/products/${id}/ocop`, {
        ...CERTIFICATE,
        decisionDate: soon.toISOString().slice(0, 10),
      });
      expect(cert.status, cert.text).toBe(201);
      const verified = await sendTo(
        route('verifyOcopCertificate'),
        `/api/seller/products/${id}/ocop/${cert.body.id}/verification`,
        {
          token: shop.actors.admin.token,
          body: JSON.stringify({ decision: 'approve' }),
        },
      );
      expect(verified.status, verified.text).toBe(200);
      expiringProductId = id;
      return send('/api/seller/ocop/expiring');
    }
    case 'getOrder': {
      const { code } = await order();
      const phone = secretHolder ? SHOPPER.phone : '0912 999 888';
      return send(`/api/orders/${code}?phone=${encodeURIComponent(phone)}`);
    }
    case 'confirmOrder': {
      // A COD order from a phone that never confirmed one (so not trusted to skip the step) waits
      // for the code sent to that phone: a new phone for each caller.
      const phone = `0913 45${CALLERS.indexOf(caller)} 789`;
      const placed = await placeUnconfirmed(
        orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }], { contact: { ...SHOPPER, phone } }),
      );
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      expect(placed.body.confirmation).toBeTruthy();
      const { code } = placed.body.order as { code: string };
      const otp = (await confirmationCode(code))!;
      // Everyone else may know the code (a shoulder read it) but not hold the order's phone.
      return send(`/api/orders/${code}/confirm`, { phone: secretHolder ? phone : '0912 999 888', code: otp });
    }
    case 'cancelOrder': {
      const { code } = await order();
      return send(`/api/orders/${code}/cancel`, { phone: secretHolder ? SHOPPER.phone : '0912 999 888' });
    }
    case 'repayOrder': {
      // An order waiting for its VNPay payment; only its phone may pay it again or another way.
      const placed = await place(
        orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }], { paymentMethod: 'vnpay' }),
      );
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const { code } = placed.body.order as { code: string };
      return send(`/api/orders/${code}/payment`, {
        phone: secretHolder ? SHOPPER.phone : '0912 999 888',
        paymentMethod: 'vietqr',
        replaces: placed.body.payment.id,
      });
    }
    case 'getPaymentStatus': {
      const { paymentId, clientSecret } = await order();
      const secret = secretHolder ? clientSecret : `${paymentId}_secret_guessed0000000000`;
      return send(`/api/payments/${paymentId}?client_secret=${encodeURIComponent(secret)}`);
    }
    case 'listBoardOrders':
      return send(`/api/board/${shop.coopA.id}/orders`);
    case 'getInvoiceSettings':
    case 'listInvoices':
      return send(
        `/api/board/${shop.coopA.id}/${operationId === 'listInvoices' ? 'invoices' : 'invoice-settings'}`,
      );
    case 'setInvoiceSettings':
      return send(`/api/board/${shop.coopA.id}/invoice-settings`, {
        enabled: true,
        legalName: 'Hợp tác xã Chè La Bằng',
        taxCode: '4600123456',
        address: 'Xã La Bằng, tỉnh Thái Nguyên',
        templateCode: '1',
        series: 'C25TAA',
        issueOn: 'completed',
        grower: true,
      });
    case 'getInvoice': {
      // An invoice of co-op A's: its manager (or an admin) reads it; nobody else learns it exists.
      const { code } = await order();
      await invoices.claim({
        orderCode: code,
        fulfillerId: shop.coopA.id,
        kindKey: 'ORIGINAL',
        kind: 'original',
        status: 'pending',
        transactionId: `t-${code}`,
        attempts: 0,
        doc: '{}',
        xml: '<HDon/>',
        total: 0,
        createdAt: new Date().toISOString(),
      });
      return send(`/api/board/${shop.coopA.id}/invoices/${code}/ORIGINAL`);
    }
    case 'listOrderInvoices': {
      const { code } = await order();
      return send(
        `/api/orders/${code}/invoices?phone=${encodeURIComponent(secretHolder ? SHOPPER.phone : '0912 999 888')}`,
      );
    }
    case 'getShippingRules':
      return send(`/api/board/${shop.coopA.id}/shipping`);
    case 'setShippingRules':
      return send(`/api/board/${shop.coopA.id}/shipping`, {
        flatFee: { in_province: 15_000, north: 25_000, elsewhere: 35_000 },
        freeAbove: null,
        pickup: true,
      });
    case 'getMarketPanel':
      return send(`/api/seller/products/${(await listing()).id}/market`);
    case 'listReferencePrices':
      return send(`/api/board/${shop.coopA.id}/reference-prices`);
    case 'setReferencePrices':
      return send(`/api/board/${shop.coopA.id}/reference-prices`, {
        prices: [
          { category: 'che-non', pricePerKg: 850_000, effectiveFrom: new Date().toISOString().slice(0, 10) },
        ],
      });
    case 'getBoardOrder':
      return send(`/api/board/${shop.coopA.id}/orders/${(await order()).code}`);
    case 'changeSubOrderStatus':
      return send(`/api/board/${shop.coopA.id}/orders/${(await order()).code}/status`, { to: 'confirmed' });
    case 'createShipment':
      return send(`/api/board/${shop.coopA.id}/orders/${(await order()).code}/shipment`);
    case 'cancelShipment':
      return send(`/api/board/${shop.coopA.id}/orders/${(await order()).code}/shipment/cancel`);
    case 'getShipmentLabel':
      return send(`/api/board/${shop.coopA.id}/orders/${(await order()).code}/shipment/label`);
    case 'importCodStatement':
      return send(`/api/board/${shop.coopA.id}/cod-statements`, {
        carrier: 'ghn',
        csv: 'order_code,cod_amount\r\nGHNUNKNOWN1,100000\r\n',
      });
    case 'carrierWebhook': {
      // The carrier's token is the check, whoever sends it; a parcel the exchange never made
      // changes nothing.
      const token = encodeURIComponent(EMULATOR_TOKENS.ghn.webhook);
      return send(`/api/carriers/ghn/webhook?token=${token}`, {
        OrderCode: 'GNOSUCH1',
        Status: 'delivered',
        Type: 'switch_status',
        Time: new Date().toISOString(),
      });
    }
    case 'matchTransfer':
      return send('/api/payments/vietqr/unmatched/FT000000000000000001/match', { orderCode: 'TN-7K3Q9' });
    case 'recordManualRefund':
      return send(`/api/payments/${(await order()).paymentId}/manual-refunds`, {
        method: 'cash',
        note: 'Hoàn tiền kiểm thử',
      });
    case 'listProductReviews':
      return send('/api/catalog/products/khong-co-san-pham-nay/reviews');
    case 'downloadOpenData':
      // The open data of a month: public, whoever asks (a month with no data answers 404).
      return send('/api/stats/2020-01.json');
    case 'getIocExport':
      // The IOC's pull takes its key, not a sign-in: a bearer token, even an admin's, is refused.
      return send('/api/ioc/export/2026-01-31');
    case 'getReviewPhoto': {
      // Only the order's phone learns the state of a photo uploaded for its review.
      const code = await delivered();
      const slot = await sendTo(route('startReviewPhotoUpload'), '/api/review-photos', {
        body: JSON.stringify({
          orderCode: code,
          phone: SHOPPER.phone,
          variantId: shop.packs.memberTea.id,
          contentType: 'image/jpeg',
          bytes: 2048,
        }),
      });
      expect(slot.status, slot.text).toBe(201);
      const phone = encodeURIComponent(secretHolder ? SHOPPER.phone : '0912 999 888');
      return send(`/api/review-photos/${slot.body.photoId}?orderCode=${code}&phone=${phone}`);
    }
    case 'replyToReview':
      return send(`/api/reviews/${await reviewId()}/reply`, { text: 'Cảm ơn bạn đã mua chè.' });
    case 'hideReview':
      return send(`/api/reviews/${await reviewId()}/hide`, { reason: 'Chứa số điện thoại' });
    case 'reservePreorder': {
      const windowId = await preorderWindow();
      return () =>
        sendTo(route(operationId), `/api/preorders/${windowId}/reservations`, {
          ...(t ? { token: t } : {}),
          body: JSON.stringify(reservationBody),
          headers: { 'idempotency-key': `k_${caller}_${Date.now()}` },
        });
    }
    case 'payPreorderBalance': {
      // Only the reservation's phone gets past the door (then: nothing is due yet, 409).
      const code = await preorderReservation();
      return send(`/api/orders/${code}/preorder-balance`, {
        phone: secretHolder ? SHOPPER.phone : '0912 999 888',
        paymentMethod: 'vnpay',
      });
    }
    case 'createPreorderWindow':
      return send(`/api/board/${shop.coopA.id}/preorders`, preorderWindowBody());
    case 'getPreorderBoard':
      return send(`/api/board/${shop.coopA.id}/preorders`);
    case 'allocatePreorder':
      // Still open: the right manager is told so (409); nobody else gets that far.
      return send(`/api/board/${shop.coopA.id}/preorders/${await preorderWindow()}/allocation`, {
        pickings: [{ householdId: shop.member.id, grams: 1000 }],
      });
    case 'settlePreorderWeight':
      return send(`/api/board/${shop.coopA.id}/orders/${await preorderReservation()}/preorder-weight`, {
        lines: [{ packId: 'p1', grams: 200 }],
      });
    default:
      throw new Error(`No ownership case for ${operationId}: add one to tests/integration/ownership.test.ts`);
  }
}

const CERTIFICATE = {
  stars: 4,
  decisionNumber: '12/QĐ-UBND',
  decisionDate: '2025-05-01',
  issuer: 'UBND tỉnh Thái Nguyên',
};

beforeAll(async () => {
  // Every row that needs an order of its own places one: enough stock for all of them.
  shop = await createShop({ memberTea: 1_000 });
  const account = await accounts.create({
    sub: `shopper-${Date.now().toString(36)}`,
    phone: '+84987650002',
    groups: [],
    createdAt: new Date().toISOString(),
  });
  shopperToken = (await shop.issuer.sign(account)).accessToken;
  writes = countWrites(db().raw);
});

describe('ownership matrix', () => {
  it('has a row for every route that takes an id, and no row for a route that is gone', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(MATRIX_ROUTES.map((r) => r.operationId).sort());
  });

  for (const { operationId, auth } of MATRIX_ROUTES) {
    for (const caller of CALLERS) {
      const expected = MATRIX[operationId]?.[caller];
      it(`${operationId} by ${caller}: ${expected}`, async () => {
        const call = await prepare(operationId, caller);
        writes.reset();
        const answer = await call();
        const what = `${operationId} by ${caller}: ${answer.status} ${answer.text.slice(0, 200)}`;
        expect(answer.status, what).toBeLessThan(500);
        if (expected === 'D') {
          expect([401, 403, 404], what).toContain(answer.status);
          if (caller === 'anonymous' && auth !== 'public') expect(answer.status, what).toBe(401);
          expect(writes.total, `${what} wrote ${[...writes.byKey.keys()].join(', ')}`).toBe(0);
        } else if (expected === 'P') {
          // Public: nobody is asked who they are (the made-up slugs answer 404).
          expect([401, 403], what).not.toContain(answer.status);
        } else if (expected === 'N') {
          expect(answer.status, what).toBe(404);
        } else {
          expect([401, 403, 404], what).not.toContain(answer.status);
        }
        if (operationId === 'listExpiringCertificates' && expected === 'A') {
          // Each caller sees its own listings' certificates only.
          const text = JSON.stringify(answer.body);
          if (['owner', 'rightManager'].includes(caller)) expect(text, what).toContain(expiringProductId);
          else expect(text, what).not.toContain(expiringProductId);
        }
      });
    }
  }
});
