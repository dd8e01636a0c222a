/** Factories for tests: valid entities with overridable fields (one per entity). */
import type { Lot } from '../shared/domain/lot.ts';
import type { OcopCertificate } from '../shared/domain/ocop.ts';
import type { Producer } from '../shared/domain/producer.ts';
import type { Product, Variant } from '../shared/domain/product.ts';
import type { PaymentResultParams } from '../shared/payments/vnpay/protocol.ts';

let counter = 0;
const next = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
const NOW = '2026-01-10T00:00:00.000Z';

export function createMockProducer(overrides: Partial<Producer> = {}): Producer {
  const id = overrides.id ?? next('producer');
  return {
    id,
    slug: id,
    kind: 'cooperative',
    name: 'HTX Chè Thử Nghiệm',
    phone: '+84912345678',
    address: { provinceCode: '19', communeCode: '05503' },
    verification: { status: 'verified', decidedAt: NOW },
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function createMockProduct(producerId: string, overrides: Partial<Product> = {}): Product {
  const id = overrides.id ?? next('product');
  return {
    id,
    slug: id,
    producerId,
    category: 'che-non',
    name: { vi: 'Chè nõn thử nghiệm' },
    description: { vi: 'Mô tả sản phẩm' },
    images: [],
    status: 'published',
    createdAt: NOW,
    updatedAt: NOW,
    publishedAt: NOW,
    ...overrides,
  };
}

export function createMockVariant(productId: string, overrides: Partial<Variant> = {}): Variant {
  return { id: next('variant'), productId, grams: 200, price: 180_000, stock: 10, ...overrides } as Variant;
}

export function createMockCertificate(
  productId: string,
  overrides: Partial<OcopCertificate> = {},
): OcopCertificate {
  return {
    id: next('ocop'),
    productId,
    stars: 4,
    decisionNumber: '1234/QĐ-UBND',
    decisionDate: '2025-01-15',
    issuer: 'UBND tỉnh Thái Nguyên',
    verified: true,
    ...overrides,
  };
}

export function createMockLot(productId: string, householdId: string, overrides: Partial<Lot> = {}): Lot {
  return {
    id: next('lot'),
    productId,
    householdId,
    traceCode: `TST-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    harvestDate: '2026-03-20',
    season: 'Vụ xuân 2026',
    growingAreaCode: 'TN-TC-001',
    certifications: ['VietGAP'],
    createdAt: NOW,
    ...overrides,
  };
}

/** The fields VNPay signs on a successful 185,000 ₫ payment (return URL and IPN), before signing. */
export function createMockVnpayResult(overrides: Partial<PaymentResultParams> = {}): PaymentResultParams {
  return {
    vnp_Amount: '18500000',
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14000001',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Thanh toan don hang ORD01JABCDEF',
    vnp_PayDate: '20250301092001',
    vnp_ResponseCode: '00',
    vnp_TmnCode: 'TNOCOP01',
    vnp_TransactionNo: '14000001',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: 'ORD01JABCDEF',
    ...overrides,
  };
}
