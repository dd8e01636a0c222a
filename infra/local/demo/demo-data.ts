/**
 * Demo catalog for the local runtime: invented cooperatives, households, phone numbers and
 * certificate numbers; real Thái Nguyên communes (2025 units), real tea grades, realistic prices.
 */
import type { InvoiceSettings } from '../../../shared/invoices/model.ts';
import type { Lot } from '../../../shared/domain/lot.ts';
import type { OcopCertificate } from '../../../shared/domain/ocop.ts';
import type { Producer } from '../../../shared/domain/producer.ts';
import type { Product, Variant } from '../../../shared/domain/product.ts';
import { DEFAULT_SHIPPING_RULES, type ShippingRules } from '../../../shared/orders/shipping.ts';
import { slugify } from '../../../shared/domain/text.ts';

const TN = '19';
export const COMMUNES = {
  tanCuong: '05503',
  laBang: '05818',
  voTranh: '05641',
  phuLuong: '05611',
  daiTu: '05830',
  traiCau: '05662',
  hopThanh: '05632',
  phanDinhPhung: '05443',
  baBe: '01906',
} as const;

const CREATED = '2025-09-01T08:00:00.000Z';

type ProducerSeed = Pick<Producer, 'id' | 'kind' | 'name' | 'phone'> & {
  commune: string;
  street?: string;
  about: string;
  coop?: string;
  verified?: boolean;
};

const producerSeeds: ProducerSeed[] = [
  {
    id: 'htx-tan-cuong-xanh',
    kind: 'cooperative',
    name: 'HTX Chè Tân Cương Xanh',
    phone: '+84912000101',
    commune: COMMUNES.tanCuong,
    street: 'Xóm Hồng Thái 2',
    about: 'Hợp tác xã của 46 hộ trồng chè dưới chân núi Guộc, giữ cách sao chè bằng chảo gang truyền thống.',
  },
  {
    id: 'htx-la-bang',
    kind: 'cooperative',
    name: 'HTX Trà La Bằng',
    phone: '+84912000102',
    commune: COMMUNES.laBang,
    street: 'Xóm Đồng Tiến',
    about: 'Vùng chè bên sườn Tam Đảo, nước suối trong và sương sớm cho búp chè đậm hương cốm.',
  },
  {
    id: 'htx-vo-tranh-huu-co',
    kind: 'cooperative',
    name: 'HTX Chè Vô Tranh Hữu Cơ',
    phone: '+84912000103',
    commune: COMMUNES.voTranh,
    street: 'Xóm Trung Thành',
    about: 'Chè trồng theo hướng hữu cơ, không thuốc diệt cỏ, có chứng nhận VietGAP cho toàn vùng.',
  },
  {
    id: 'htx-trai-cau',
    kind: 'cooperative',
    name: 'HTX Mật ong và Nấm Trại Cau',
    phone: '+84912000104',
    commune: COMMUNES.traiCau,
    street: 'Xóm Trại Cau',
    about: 'Nuôi ong dưới tán rừng keo và trồng nấm trên mùn cưa, bán cả na Trại Cau theo mùa.',
  },
  {
    id: 'ho-nguyen-van-thanh',
    kind: 'household',
    name: 'Hộ Nguyễn Văn Thành',
    phone: '+84987000201',
    commune: COMMUNES.tanCuong,
    street: 'Xóm Nam Thái',
    about: 'Ba đời làm chè, chuyên chè đinh và tôm nõn hái tay vụ xuân.',
    coop: 'htx-tan-cuong-xanh',
  },
  {
    id: 'ho-tran-thi-hoa',
    kind: 'household',
    name: 'Hộ Trần Thị Hoa',
    phone: '+84987000202',
    commune: COMMUNES.laBang,
    street: 'Xóm Lập Mỹ',
    about: 'Vườn chè 1,2 ha, sao chè bằng củi theo cách của mẹ.',
    coop: 'htx-la-bang',
  },
  {
    id: 'ho-hoang-van-dung',
    kind: 'household',
    name: 'Hộ Hoàng Văn Dũng',
    phone: '+84987000203',
    commune: COMMUNES.phuLuong,
    street: 'Xóm Khe Cốc',
    about: 'Hộ độc lập ở vùng chè Khe Cốc, bán chè móc câu và chè búp hằng ngày.',
  },
  {
    id: 'dn-nong-san-dai-tu',
    kind: 'enterprise',
    name: 'Công ty TNHH Nông sản Đại Từ',
    phone: '+84356000301',
    commune: COMMUNES.daiTu,
    street: 'Tổ dân phố Sơn Tập',
    about: 'Doanh nghiệp chế biến trà túi lọc, trà GABA và miến dong từ nguyên liệu của các hộ trong vùng.',
  },
  {
    id: 'ho-ly-thi-mai',
    kind: 'household',
    name: 'Hộ Lý Thị Mai',
    phone: '+84389000204',
    commune: COMMUNES.baBe,
    street: 'Thôn Pác Ngòi',
    about: 'Măng rừng và mộc nhĩ phơi khô của đồng bào Tày bên hồ Ba Bể.',
  },
  {
    id: 'ho-phung-van-khanh',
    kind: 'household',
    name: 'Hộ Phùng Văn Khánh',
    phone: '+84389000205',
    commune: COMMUNES.hopThanh,
    about: 'Mới đăng ký, đang chờ xác minh.',
    verified: false,
  },
];

export const demoProducers: Producer[] = producerSeeds.map((seed) => ({
  id: seed.id,
  slug: slugify(seed.name),
  kind: seed.kind,
  name: seed.name,
  phone: seed.phone,
  address: { provinceCode: TN, communeCode: seed.commune, ...(seed.street ? { street: seed.street } : {}) },
  description: { vi: seed.about },
  ...(seed.coop
    ? { membership: { cooperativeId: seed.coop, status: 'approved' as const, decidedAt: CREATED } }
    : {}),
  verification:
    seed.verified === false
      ? { status: 'pending' as const }
      : { status: 'verified' as const, decidedAt: CREATED, decidedBy: 'admin-demo' },
  createdAt: CREATED,
  updatedAt: CREATED,
}));

/** [grams | unit, price in VND, stock] */
type Pack = [number | string, number, number];
interface ProductSeed {
  producer: string;
  category: Product['category'];
  vi: string;
  en?: string;
  about: string;
  packs: Pack[];
  ocop?: { stars: 3 | 4 | 5; number: string; date: string; verified?: boolean };
  lots?: {
    harvest: string;
    season: string;
    area: string;
    certs?: Lot['certifications'];
    household?: string;
  }[];
}

const P = {
  tanCuong: 'htx-tan-cuong-xanh',
  laBang: 'htx-la-bang',
  voTranh: 'htx-vo-tranh-huu-co',
  traiCau: 'htx-trai-cau',
  thanh: 'ho-nguyen-van-thanh',
  hoa: 'ho-tran-thi-hoa',
  dung: 'ho-hoang-van-dung',
  daiTu: 'dn-nong-san-dai-tu',
  mai: 'ho-ly-thi-mai',
  khanh: 'ho-phung-van-khanh',
};

const productSeeds: ProductSeed[] = [
  {
    producer: P.thanh,
    category: 'che-dinh',
    vi: 'Chè đinh Tân Cương thượng hạng',
    en: 'Tan Cuong premium dinh tea',
    about:
      'Chỉ hái phần đinh nhỏ nhất trên đỉnh búp, sao bằng chảo gang. Nước xanh trong, hương cốm non, hậu ngọt sâu.',
    packs: [
      [100, 480_000, 25],
      [200, 920_000, 12],
      [500, 2_200_000, 4],
    ],
    ocop: { stars: 5, number: '1052/QĐ-BNNMT', date: '2025-05-20' },
    lots: [{ harvest: '2026-03-18', season: 'Vụ xuân 2026', area: 'TN-TC-VT-014', certs: ['VietGAP'] }],
  },
  {
    producer: P.tanCuong,
    category: 'che-tom-non',
    vi: 'Chè tôm nõn Tân Cương',
    en: 'Tan Cuong bud-only tea',
    about: 'Một tôm, không lá: búp non hái sáng sớm. Hương thơm dịu, vị chát nhẹ rồi ngọt.',
    packs: [
      [100, 220_000, 40],
      [200, 430_000, 30],
      [500, 1_050_000, 10],
    ],
    ocop: { stars: 4, number: '2361/QĐ-UBND', date: '2024-06-12' },
    lots: [
      {
        harvest: '2026-04-02',
        season: 'Vụ xuân 2026',
        area: 'TN-TC-VT-021',
        certs: ['VietGAP'],
        household: P.thanh,
      },
      {
        harvest: '2026-07-15',
        season: 'Vụ hè 2026',
        area: 'TN-TC-VT-021',
        certs: ['VietGAP'],
        household: P.thanh,
      },
    ],
  },
  {
    producer: P.tanCuong,
    category: 'che-non',
    vi: 'Chè nõn Tân Cương',
    en: 'Tan Cuong young shoot tea',
    about: 'Một tôm một lá non. Loại chè biếu được ưa chuộng nhất của vùng Tân Cương.',
    packs: [
      [200, 180_000, 60],
      [500, 430_000, 35],
      [1000, 820_000, 12],
    ],
    ocop: { stars: 4, number: '2362/QĐ-UBND', date: '2024-06-12' },
    lots: [{ harvest: '2026-05-10', season: 'Vụ hè 2026', area: 'TN-TC-VT-008', certs: ['VietGAP'] }],
  },
  {
    producer: P.tanCuong,
    category: 'che-moc-cau',
    vi: 'Chè móc câu Tân Cương',
    en: 'Tan Cuong hooked-leaf tea',
    about:
      'Cánh chè xoăn như móc câu, nước vàng xanh, vị đậm. Loại chè uống hằng ngày của người Thái Nguyên.',
    packs: [
      [200, 110_000, 80],
      [500, 260_000, 50],
      [1000, 500_000, 20],
    ],
    ocop: { stars: 3, number: '1187/QĐ-UBND', date: '2022-03-15' },
    lots: [{ harvest: '2026-06-05', season: 'Vụ hè 2026', area: 'TN-TC-VT-030' }],
  },
  {
    producer: P.tanCuong,
    category: 'tra-tui-loc',
    vi: 'Trà xanh Tân Cương túi lọc',
    en: 'Tan Cuong green tea bags',
    about: 'Chè xanh Tân Cương nghiền vừa, đóng túi lọc tiện pha ở văn phòng.',
    packs: [
      ['hộp 25 túi', 65_000, 120],
      ['hộp 50 túi', 120_000, 60],
    ],
  },
  {
    producer: P.thanh,
    category: 'che-tom-non',
    vi: 'Chè tôm nõn vụ xuân sao tay',
    en: 'Hand-roasted spring bud tea',
    about: 'Búp đầu vụ xuân của vườn nhà, sao tay từng mẻ nhỏ 2 kg.',
    packs: [
      [100, 260_000, 18],
      [250, 640_000, 9],
    ],
    lots: [{ harvest: '2026-03-05', season: 'Vụ xuân 2026', area: 'TN-TC-VT-014' }],
  },
  {
    producer: P.laBang,
    category: 'che-non',
    vi: 'Chè nõn La Bằng',
    en: 'La Bang young shoot tea',
    about: 'Chè của vùng La Bằng dưới chân Tam Đảo, hương cốm rõ, nước xanh ánh vàng.',
    packs: [
      [200, 170_000, 45],
      [500, 410_000, 25],
    ],
    ocop: { stars: 4, number: '3015/QĐ-UBND', date: '2025-09-08' },
    lots: [
      {
        harvest: '2026-04-20',
        season: 'Vụ xuân 2026',
        area: 'TN-LB-VT-003',
        certs: ['VietGAP'],
        household: P.hoa,
      },
    ],
  },
  {
    producer: P.laBang,
    category: 'che-dinh',
    vi: 'Chè đinh La Bằng',
    en: 'La Bang dinh tea',
    about: 'Đinh chè La Bằng, số lượng ít, đóng hộp quà.',
    packs: [
      [100, 450_000, 15],
      ['hộp quà 2 x 100 g', 950_000, 8],
    ],
    lots: [{ harvest: '2026-03-22', season: 'Vụ xuân 2026', area: 'TN-LB-VT-001', household: P.hoa }],
  },
  {
    producer: P.laBang,
    category: 'che-moc-cau',
    vi: 'Chè móc câu La Bằng',
    en: 'La Bang hooked-leaf tea',
    about: 'Móc câu đều cánh, nước vàng sánh, vị đậm hậu ngọt.',
    packs: [
      [200, 105_000, 70],
      [500, 250_000, 40],
      [1000, 480_000, 15],
    ],
    lots: [{ harvest: '2026-08-01', season: 'Vụ thu 2026', area: 'TN-LB-VT-002' }],
  },
  {
    producer: P.hoa,
    category: 'che-bup',
    vi: 'Chè búp La Bằng sao củi',
    en: 'Wood-fired La Bang tea',
    about: 'Chè búp sao bằng củi, hương khói nhẹ đặc trưng.',
    packs: [
      [500, 180_000, 30],
      [1000, 340_000, 15],
    ],
    lots: [{ harvest: '2026-09-12', season: 'Vụ thu 2026', area: 'TN-LB-VT-005' }],
  },
  {
    producer: P.voTranh,
    category: 'che-non',
    vi: 'Chè nõn hữu cơ Vô Tranh',
    en: 'Vo Tranh organic young shoot tea',
    about: 'Chè canh tác hữu cơ, làm cỏ tay, bón phân chuồng hoai.',
    packs: [
      [200, 210_000, 35],
      [500, 500_000, 20],
    ],
    ocop: { stars: 4, number: '0874/QĐ-UBND', date: '2024-11-20' },
    lots: [
      { harvest: '2026-04-28', season: 'Vụ xuân 2026', area: 'TN-VT-HC-002', certs: ['organic', 'VietGAP'] },
    ],
  },
  {
    producer: P.voTranh,
    category: 'che-moc-cau',
    vi: 'Chè móc câu Vô Tranh',
    en: 'Vo Tranh hooked-leaf tea',
    about: 'Móc câu từ vùng chè trung du Phú Lương cũ, vị chát dịu.',
    packs: [
      [200, 95_000, 90],
      [500, 225_000, 55],
    ],
    lots: [{ harvest: '2026-07-08', season: 'Vụ hè 2026', area: 'TN-VT-HC-004', certs: ['VietGAP'] }],
  },
  {
    producer: P.voTranh,
    category: 'che-bup',
    vi: 'Chè búp xanh Vô Tranh',
    en: 'Vo Tranh green tea',
    about: 'Chè búp phổ thông, hợp pha ấm lớn cho gia đình và quán nước.',
    packs: [
      [500, 95_000, 120],
      [1000, 170_000, 80],
    ],
  },
  {
    producer: P.voTranh,
    category: 'tra-tui-loc',
    vi: 'Trà túi lọc hữu cơ Vô Tranh',
    en: 'Vo Tranh organic tea bags',
    about: 'Túi lọc giấy không tẩy trắng, chè hữu cơ 100%.',
    packs: [
      ['hộp 20 túi', 75_000, 70],
      ['hộp 50 túi', 170_000, 25],
    ],
    ocop: { stars: 3, number: '1420/QĐ-UBND', date: '2025-07-01', verified: false },
  },
  {
    producer: P.dung,
    category: 'che-moc-cau',
    vi: 'Chè móc câu Khe Cốc',
    en: 'Khe Coc hooked-leaf tea',
    about: 'Chè vùng Khe Cốc, nước xanh vàng, vị đậm, rất hợp uống buổi sáng.',
    packs: [
      [200, 100_000, 50],
      [500, 240_000, 30],
    ],
    lots: [{ harvest: '2026-06-20', season: 'Vụ hè 2026', area: 'TN-PL-KC-011' }],
  },
  {
    producer: P.dung,
    category: 'che-bup',
    vi: 'Chè búp Phú Lương',
    en: 'Phu Luong bud tea',
    about: 'Chè búp bình dân giá tốt, đóng túi 1 kg.',
    packs: [
      [500, 85_000, 100],
      [1000, 160_000, 60],
    ],
    lots: [{ harvest: '2026-09-02', season: 'Vụ thu 2026', area: 'TN-PL-KC-012' }],
  },
  {
    producer: P.dung,
    category: 'che-non',
    vi: 'Chè nõn Khe Cốc',
    en: 'Khe Coc young shoot tea',
    about: 'Nõn chè hái tay, sao ngay trong ngày.',
    packs: [
      [200, 160_000, 0],
      [500, 390_000, 0],
    ],
    lots: [{ harvest: '2026-04-11', season: 'Vụ xuân 2026', area: 'TN-PL-KC-011' }],
  },
  {
    producer: P.daiTu,
    category: 'tra-gaba',
    vi: 'Trà GABA Đại Từ',
    en: 'Dai Tu GABA tea',
    about: 'Trà lên men yếm khí giàu GABA, vị ngọt dịu, giúp thư giãn.',
    packs: [
      [100, 190_000, 40],
      [250, 450_000, 20],
    ],
    ocop: { stars: 4, number: '2755/QĐ-UBND', date: '2025-02-14' },
  },
  {
    producer: P.daiTu,
    category: 'tra-tui-loc',
    vi: 'Trà xanh túi lọc Đại Từ',
    en: 'Dai Tu green tea bags',
    about: 'Túi lọc chè xanh Đại Từ, hộp giấy tái chế.',
    packs: [
      ['hộp 25 túi', 55_000, 150],
      ['hộp 100 túi', 190_000, 40],
    ],
    ocop: { stars: 3, number: '2756/QĐ-UBND', date: '2025-02-14' },
  },
  {
    producer: P.daiTu,
    category: 'mien-gao',
    vi: 'Miến dong Đại Từ',
    en: 'Dai Tu arrowroot vermicelli',
    about: 'Miến làm từ củ dong riềng, sợi dai, không chất tẩy trắng.',
    packs: [
      [500, 65_000, 200],
      [1000, 120_000, 90],
    ],
    ocop: { stars: 3, number: '0931/QĐ-UBND', date: '2024-04-03' },
  },
  {
    producer: P.daiTu,
    category: 'mien-gao',
    vi: 'Gạo nếp vải Phú Lương',
    en: 'Phu Luong lychee sticky rice',
    about: 'Gạo nếp hạt tròn, dẻo thơm, thu hoạch vụ mùa.',
    packs: [
      [2000, 70_000, 80],
      [5000, 165_000, 30],
    ],
  },
  {
    producer: P.daiTu,
    category: 'tra-gaba',
    vi: 'Trà GABA hộp quà',
    en: 'GABA tea gift box',
    about: 'Hộp quà sơn mài gồm hai túi trà GABA 100 g.',
    packs: [
      ['hộp quà 2 x 100 g', 420_000, 12],
      ['hộp quà 4 x 100 g', 800_000, 6],
    ],
  },
  {
    producer: P.traiCau,
    category: 'mat-ong',
    vi: 'Mật ong rừng keo Trại Cau',
    en: 'Trai Cau acacia honey',
    about: 'Mật ong nuôi dưới tán rừng keo, quay mật khi đủ già, độ ẩm dưới 20%.',
    packs: [
      ['chai 500 ml', 180_000, 60],
      ['chai 1 lít', 340_000, 25],
    ],
    ocop: { stars: 4, number: '1876/QĐ-UBND', date: '2025-04-22' },
  },
  {
    producer: P.traiCau,
    category: 'mat-ong',
    vi: 'Mật ong hoa nhãn',
    en: 'Longan blossom honey',
    about: 'Mật ong mùa hoa nhãn tháng ba, thơm nhẹ, vị ngọt thanh.',
    packs: [
      ['chai 500 ml', 200_000, 30],
      ['chai 1 lít', 380_000, 10],
    ],
  },
  {
    producer: P.traiCau,
    category: 'nam',
    vi: 'Nấm hương khô Trại Cau',
    en: 'Dried shiitake mushrooms',
    about: 'Nấm hương trồng trên mùn cưa, sấy khô bằng nhiệt thấp giữ mùi thơm.',
    packs: [
      [100, 65_000, 80],
      [250, 155_000, 40],
      [500, 300_000, 15],
    ],
    ocop: { stars: 3, number: '1877/QĐ-UBND', date: '2025-04-22' },
  },
  {
    producer: P.traiCau,
    category: 'nam',
    vi: 'Nấm sò tươi',
    en: 'Fresh oyster mushrooms',
    about: 'Nấm sò thu hái buổi sáng, giao trong tỉnh trong ngày.',
    packs: [
      [500, 35_000, 40],
      [1000, 65_000, 20],
    ],
  },
  {
    producer: P.traiCau,
    category: 'trai-cay',
    vi: 'Na Trại Cau',
    en: 'Trai Cau custard apple',
    about: 'Na dai, quả to, múi trắng ngọt đậm. Bán theo mùa từ tháng 7 đến tháng 9.',
    packs: [
      [1000, 60_000, 0],
      [3000, 170_000, 0],
    ],
  },
  {
    producer: P.mai,
    category: 'mang-kho',
    vi: 'Măng khô Ba Bể',
    en: 'Ba Be dried bamboo shoots',
    about: 'Măng nứa rừng luộc chín rồi phơi nắng, không lưu huỳnh.',
    packs: [
      [250, 95_000, 60],
      [500, 180_000, 30],
      [1000, 340_000, 10],
    ],
    ocop: { stars: 3, number: '0512/QĐ-UBND', date: '2024-08-30' },
  },
  {
    producer: P.mai,
    category: 'nam',
    vi: 'Mộc nhĩ rừng Ba Bể',
    en: 'Ba Be wood ear mushrooms',
    about: 'Mộc nhĩ rừng phơi khô, tai dày, giòn.',
    packs: [
      [200, 70_000, 45],
      [500, 165_000, 20],
    ],
  },
  {
    producer: P.mai,
    category: 'mang-kho',
    vi: 'Măng vầu sấy',
    en: 'Dried giant bamboo shoots',
    about: 'Măng vầu thái lát sấy khô, tiện nấu canh và xào.',
    packs: [
      [300, 85_000, 35],
      [600, 160_000, 15],
    ],
  },
  {
    producer: P.hoa,
    category: 'che-tom-non',
    vi: 'Chè tôm nõn La Bằng vụ xuân',
    en: 'La Bang spring bud tea',
    about: 'Tôm nõn vụ xuân của vườn nhà, đóng túi hút chân không.',
    packs: [
      [100, 230_000, 20],
      [200, 450_000, 10],
    ],
    lots: [{ harvest: '2026-03-28', season: 'Vụ xuân 2026', area: 'TN-LB-VT-005' }],
  },
  {
    producer: P.thanh,
    category: 'che-non',
    vi: 'Chè nõn Tân Cương hộp quà',
    en: 'Tan Cuong tea gift box',
    about: 'Hộp quà gỗ gồm hai túi chè nõn 200 g, kèm thiệp chúc.',
    packs: [
      ['hộp quà 2 x 200 g', 480_000, 15],
      ['hộp quà 4 x 200 g', 920_000, 5],
    ],
    lots: [{ harvest: '2026-05-02', season: 'Vụ hè 2026', area: 'TN-TC-VT-014' }],
  },
  {
    producer: P.khanh,
    category: 'che-bup',
    vi: 'Chè búp Hợp Thành',
    about: 'Chờ hộ được xác minh.',
    packs: [
      [500, 90_000, 10],
      [1000, 170_000, 5],
    ],
  },
];

/**
 * How the demo cooperatives deliver, so the checkout shows every kind: HTX Chè Tân Cương Xanh
 * ships with GHN (the emulator's shop 885), HTX Trà La Bằng with GHTK, the others deliver
 * themselves at the default flat fees.
 */
export const demoShippingRules: Record<string, ShippingRules> = {
  'htx-tan-cuong-xanh': { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'ghn', shopId: '885' } },
  'htx-la-bang': { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'ghtk' } },
};

/**
 * The demo cooperative that issues e-invoices (through the SInvoice emulator `npm start` runs):
 * HTX Chè Vô Tranh Hữu Cơ, on completion, as a grower. The tax code and address are invented.
 */
export const DEMO_INVOICING_COOP = 'htx-vo-tranh-huu-co';
export const demoInvoiceSettings: Record<string, InvoiceSettings> = {
  [DEMO_INVOICING_COOP]: {
    enabled: true,
    legalName: 'Hợp tác xã Chè Vô Tranh Hữu Cơ',
    taxCode: '4601234567',
    address: 'Xóm Trung Thành, xã Vô Tranh, tỉnh Thái Nguyên',
    templateCode: '1/001',
    series: 'C26TVT',
    issueOn: 'completed',
    grower: true,
  },
};

export interface DemoListing {
  product: Product;
  variants: Variant[];
  certificates: OcopCertificate[];
  lots: Lot[];
}

/** Listings with ids derived from the position, published one day apart (newest last). */
export const demoListings: DemoListing[] = productSeeds.map((seed, index) => {
  const id = `prd-${String(index + 1).padStart(3, '0')}`;
  const published = new Date(Date.UTC(2025, 9, 1 + index, 3)).toISOString();
  const lotId = (n: number) => `${id}-lot-${n + 1}`;
  return {
    product: {
      id,
      slug: slugify(seed.vi),
      producerId: seed.producer,
      category: seed.category,
      name: { vi: seed.vi, ...(seed.en ? { en: seed.en } : {}) },
      description: { vi: seed.about },
      images: [],
      status: 'published',
      createdAt: published,
      updatedAt: published,
      publishedAt: published,
    },
    variants: seed.packs.map(([size, price, stock], n) => ({
      id: `${id}-v${n + 1}`,
      productId: id,
      ...(typeof size === 'number' ? { grams: size } : { unit: size }),
      price,
      stock,
    })),
    certificates: seed.ocop
      ? [
          {
            id: `${id}-ocop`,
            productId: id,
            stars: seed.ocop.stars,
            decisionNumber: seed.ocop.number,
            decisionDate: seed.ocop.date,
            issuer: seed.ocop.stars === 5 ? 'Bộ Nông nghiệp và Môi trường' : 'UBND tỉnh Thái Nguyên',
            verified: seed.ocop.verified ?? true,
          },
        ]
      : [],
    lots: (seed.lots ?? []).map((lot, n) => ({
      id: lotId(n),
      productId: id,
      householdId: lot.household ?? seed.producer,
      traceCode: `TN${lot.harvest.slice(2, 4)}${lot.harvest.slice(5, 7)}-${String(index + 1).padStart(3, '0')}${n + 1}`,
      harvestDate: lot.harvest,
      season: lot.season,
      growingAreaCode: lot.area,
      certifications: lot.certs ?? [],
      createdAt: published,
    })),
  };
});
