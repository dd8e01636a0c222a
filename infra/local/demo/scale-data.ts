/**
 * A province-sized catalog, generated deterministically: the same seed and sizes give the same
 * producers, listings, packs, lots and certificates, byte for byte (ids, texts and timestamps
 * derive from the index and a seeded PRNG, never from the clock). Everything is invented —
 * names, phone numbers, certificate numbers, growing-area codes — except the places: real 2025
 * communes and wards of Thái Nguyên (province code 19, with the former Bắc Kạn).
 *
 * Each entity draws from its own PRNG stream (seed × kind × index), so listing 17 is the same
 * listing whether 50 or 20,000 are generated.
 */
import { findProvince, THAI_NGUYEN_PROVINCE_CODE } from '../../../shared/domain/admin-units.ts';
import type { Lot } from '../../../shared/domain/lot.ts';
import type { OcopCertificate } from '../../../shared/domain/ocop.ts';
import type { Producer } from '../../../shared/domain/producer.ts';
import type { Product, Variant } from '../../../shared/domain/product.ts';
import { foldForSearch, slugify } from '../../../shared/domain/text.ts';
import { mulberry32 } from './prng.ts';

export interface ScaleSize {
  /** Producers: households, about 6 % cooperatives and 2 % enterprises. @default 5000 */
  producers: number;
  /** Published listings, each with 3 packs and 2 lots; about 1.6 % carry an OCOP certificate. @default 20000 */
  listings: number;
  /** PRNG seed. @default 2025 */
  seed: number;
}

export const DEFAULT_SCALE: ScaleSize = { producers: 5000, listings: 20_000, seed: 2025 };

export interface ScaleListing {
  product: Omit<Product, 'images'>;
  variants: Variant[];
  certificates: OcopCertificate[];
  lots: Lot[];
}

/** One independent stream per (seed, kind, index). */
function stream(seed: number, kind: number, index: number) {
  const next = mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(kind + 1, 0xc2b2ae35) ^ index);
  next(); // the first draw of a fresh state is the least mixed
  const rng = {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) if ((r -= w) < 0) return item;
      return items.at(-1)![0];
    },
  };
  return rng;
}
type Rng = ReturnType<typeof stream>;

const KIND = { producer: 1, membership: 2, listing: 3, owner: 4 } as const;

// ---------------------------------------------------------------------------------------------
// Places: every commune and ward of the province; the tea areas weigh more.

const province = findProvince(THAI_NGUYEN_PROVINCE_CODE)!;
/** Well-known tea communes (DOMAIN.md), by their 2025 names. */
const TEA_AREAS = new Set([
  'Xã Tân Cương',
  'Xã La Bằng',
  'Xã Vô Tranh',
  'Xã Phú Lương',
  'Xã Đại Từ',
  'Xã Trại Cau',
  'Xã Hợp Thành',
  'Xã Phú Xuyên',
  'Xã Quân Chu',
  'Xã Yên Trạch',
  'Xã Phú Đình',
  'Xã Định Hoá',
  'Xã Đồng Hỷ',
  'Xã La Hiên',
  'Phường Sông Công',
  'Phường Phổ Yên',
]);
/** Units of the former Bắc Kạn (codes below 02200): bamboo shoots, vermicelli, honey, mushrooms, fruit. */
const isBacKan = (code: string) => code < '02200';

interface Place {
  code: string;
  /** "Xã Tân Cương" */
  unit: string;
  /** "Tân Cương": what a product name carries. */
  name: string;
  tea: boolean;
  bacKan: boolean;
}
const PLACES: Place[] = province.wards.map((w) => ({
  code: w.code,
  unit: w.name,
  name: w.name.replace(/^(Xã|Phường) /, ''),
  tea: TEA_AREAS.has(w.name),
  bacKan: isBacKan(w.code),
}));
const PLACE_WEIGHTS = PLACES.map((p) => [p, p.tea ? 10 : p.bacKan ? 2 : 1] as const);

/** "TC" for Tân Cương: the growing-area prefix. */
const initials = (name: string) =>
  foldForSearch(name)
    .split(' ')
    .map((w) => w[0]!.toUpperCase())
    .join('');
const titleAscii = (name: string) =>
  foldForSearch(name)
    .split(' ')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

// ---------------------------------------------------------------------------------------------
// People and organisations.

const SURNAMES = [
  ['Nguyễn', 30],
  ['Trần', 8],
  ['Lê', 7],
  ['Phạm', 5],
  ['Hoàng', 6],
  ['Hà', 5],
  ['Dương', 5],
  ['Đỗ', 3],
  ['Vũ', 3],
  ['Bùi', 3],
  ['Đặng', 3],
  ['Ngô', 2],
  ['Lương', 3],
  ['Ma', 3],
  ['Nông', 4],
  ['Lý', 3],
  ['Triệu', 3],
  ['Hứa', 2],
  ['Lục', 2],
  ['Đinh', 2],
  ['Mã', 1],
  ['La', 1],
] as const;
const MIDDLE_MALE = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Xuân', 'Công', 'Đình', 'Thế', 'Tiến'];
const MIDDLE_FEMALE = ['Thị', 'Thị', 'Thu', 'Ngọc', 'Kim', 'Thanh', 'Hồng', 'Minh'];
const GIVEN_MALE = [
  'Thành',
  'Dũng',
  'Hùng',
  'Cường',
  'Tuấn',
  'Khánh',
  'Long',
  'Sơn',
  'Hải',
  'Bình',
  'Thắng',
  'Toàn',
  'Quý',
  'Phúc',
  'Lâm',
  'Trung',
  'Kiên',
  'Hưng',
  'Nam',
  'Việt',
  'Đạt',
  'Tài',
  'Vinh',
  'Nghĩa',
];
const GIVEN_FEMALE = [
  'Hoa',
  'Mai',
  'Lan',
  'Hương',
  'Thảo',
  'Hằng',
  'Nga',
  'Yến',
  'Dung',
  'Huyền',
  'Liên',
  'Loan',
  'Nhung',
  'Phương',
  'Trang',
  'Vân',
  'Xuân',
  'Hạnh',
  'Thuỷ',
  'Duyên',
];
const HAMLETS = ['Xóm', 'Xóm', 'Thôn', 'Bản', 'Tổ dân phố'];
const HAMLET_NAMES = [
  'Hồng Thái',
  'Nam Thái',
  'Đồng Tiến',
  'Lập Mỹ',
  'Trung Thành',
  'Khe Cốc',
  'Pác Ngòi',
  'Nà Mòn',
  'Làng Chè',
  'Đồng Kem',
  'Cây Thị',
  'Tân Thành',
  'Hòa Bình',
  'Đồng Đình',
  'Bến Đò',
  'Gò Móc',
  'Khuôn Nanh',
  'Nà Hin',
  'Bản Pjạc',
  'Tân Lập',
  'Đoàn Kết',
  'Quyết Tiến',
  'Soi Mít',
  'Văn Hữu',
];
const COOP_WORDS = [
  'Xanh',
  'Hữu Cơ',
  'Sạch',
  'An Toàn',
  'Đặc Sản',
  'Truyền Thống',
  'Thịnh Phát',
  'Hợp Lực',
  'Bình Minh',
  'Phát Đạt',
  'Tiến Thành',
  'Nông Nghiệp',
];
const COOP_GOODS = [
  ['Chè', 8],
  ['Trà', 3],
  ['Nông sản', 2],
  ['Dịch vụ Nông nghiệp', 1],
  ['Mật ong', 1],
  ['Dược liệu', 1],
] as const;
const ENTERPRISE_FORMS = ['Công ty TNHH', 'Công ty TNHH', 'Công ty Cổ phần', 'Doanh nghiệp tư nhân'];
const ENTERPRISE_WORDS = [
  'Chè',
  'Trà',
  'Nông sản',
  'Đặc sản',
  'Thực phẩm sạch',
  'Chế biến Nông sản',
  'Thương mại Chè',
];

const SEED_START = Date.UTC(2025, 6, 1, 1); // 1 July 2025: the two-level units begin
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface ScaleProducers {
  /** Cooperatives first, then enterprises, then households (households reference cooperatives). */
  all: Producer[];
  cooperatives: Producer[];
  enterprises: Producer[];
  households: Producer[];
  /** Approved member households of each cooperative. */
  members: Map<string, Producer[]>;
}

/** 6 % cooperatives (at least 1), 2 % enterprises, the rest households. */
export function producerMix(total: number) {
  const cooperatives = Math.max(1, Math.round(total * 0.06));
  const enterprises = Math.max(1, Math.round(total * 0.02));
  return { cooperatives, enterprises, households: Math.max(1, total - cooperatives - enterprises) };
}

function personName(rng: Rng): string {
  const female = rng.chance(0.45);
  const surname = rng.weighted(SURNAMES);
  const middle = rng.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE);
  const given = rng.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  return `${surname} ${middle} ${given}`;
}

/** Invented mobile numbers in the 086 range, one per producer; the demo catalog uses others. */
const phoneOf = (n: number) => `+8486${String(n).padStart(7, '0')}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function scaleProducers(size: Pick<ScaleSize, 'producers' | 'seed'>): ScaleProducers {
  const mix = producerMix(size.producers);
  const cooperatives: Producer[] = [];
  const enterprises: Producer[] = [];
  const households: Producer[] = [];
  let n = 0;
  const base = (rng: Rng, id: string, kind: Producer['kind'], name: string, place: Place) => {
    // Producers join in July and August 2025, before the first listing is published.
    const created = SEED_START + rng.int(0, 60) * DAY + rng.int(0, 36_000) * 1000;
    return {
      id,
      // Names repeat across a province; the id's tail keeps every address unique.
      slug: `${slugify(name).slice(0, 60)}-${id.split('-').at(-1)}`,
      kind,
      name,
      phone: phoneOf(++n),
      address: {
        provinceCode: THAI_NGUYEN_PROVINCE_CODE,
        communeCode: place.code,
        street: `${rng.pick(HAMLETS)} ${rng.pick(HAMLET_NAMES)}`,
      },
      verification: {
        status: 'verified' as const,
        decidedAt: iso(created + 2 * DAY),
        decidedBy: 'admin-demo',
      },
      createdAt: iso(created),
      updatedAt: iso(created + 2 * DAY),
    } satisfies Producer;
  };

  for (let i = 0; i < mix.cooperatives; i++) {
    const rng = stream(size.seed, KIND.producer, i);
    const place = rng.weighted(PLACE_WEIGHTS);
    const goods = place.bacKan
      ? rng.pick(['Nông sản', 'Mật ong', 'Chè', 'Dược liệu'])
      : rng.weighted(COOP_GOODS);
    const name = `HTX ${goods} ${place.name} ${rng.pick(COOP_WORDS)}`;
    const producer = base(rng, `sx-htx-${pad(i + 1, 4)}`, 'cooperative', name, place);
    cooperatives.push({
      ...producer,
      description: {
        vi: `Hợp tác xã của ${rng.int(12, 120)} hộ ở ${place.unit}, tỉnh Thái Nguyên; ${rng.pick([
          'giữ cách sao chè bằng chảo gang truyền thống',
          'sản xuất theo tiêu chuẩn VietGAP cho toàn vùng',
          'thu mua búp tươi của hộ thành viên mỗi sáng',
          'có xưởng chế biến và đóng gói riêng',
          'liên kết bao tiêu sản phẩm cho hộ thành viên',
        ])}.`,
      },
    });
  }
  for (let i = 0; i < mix.enterprises; i++) {
    const rng = stream(size.seed, KIND.producer, 100_000 + i);
    const place = rng.weighted(PLACE_WEIGHTS);
    const name =
      `${rng.pick(ENTERPRISE_FORMS)} ${rng.pick(ENTERPRISE_WORDS)} ${place.name} ${rng.pick(['', 'Xanh', 'Việt', 'Phát', 'Hưng Thịnh', 'Thái Nguyên'])}`.trim();
    enterprises.push({
      ...base(rng, `sx-dn-${pad(i + 1, 4)}`, 'enterprise', name, place),
      description: {
        vi: `Doanh nghiệp chế biến và đóng gói ${rng.pick(['chè', 'trà túi lọc', 'nông sản', 'đặc sản vùng cao'])} ở ${place.unit}, thu mua nguyên liệu của các hộ trong vùng.`,
      },
    });
  }
  const coopsByPlace = new Map<string, Producer[]>();
  for (const coop of cooperatives) {
    const list = coopsByPlace.get(coop.address.communeCode) ?? [];
    list.push(coop);
    coopsByPlace.set(coop.address.communeCode, list);
  }
  const members = new Map<string, Producer[]>(cooperatives.map((c) => [c.id, []]));
  for (let i = 0; i < mix.households; i++) {
    const rng = stream(size.seed, KIND.producer, 200_000 + i);
    const place = rng.weighted(PLACE_WEIGHTS);
    const name = `Hộ ${personName(rng)}`;
    const producer: Producer = {
      ...base(rng, `sx-ho-${pad(i + 1, 5)}`, 'household', name, place),
      description: {
        vi: rng.pick([
          `Vườn chè ${rng.int(3, 25) / 10} ha ở ${place.unit}, hái tay và sao bằng củi.`,
          `Ba đời làm chè ở ${place.unit}.`,
          `Hộ sản xuất ở ${place.unit}, bán sản phẩm của vườn nhà.`,
          `Trồng, chế biến và tự đóng gói tại ${place.unit}.`,
        ]),
      },
    };
    // About 70 % of households belong to a cooperative, preferably one of their own commune.
    const local = coopsByPlace.get(place.code);
    if (rng.chance(0.7)) {
      const coop = local && rng.chance(0.8) ? rng.pick(local) : rng.pick(cooperatives);
      producer.membership = {
        cooperativeId: coop.id,
        status: 'approved',
        decidedAt: producer.updatedAt,
      };
      members.get(coop.id)!.push(producer);
    }
    households.push(producer);
  }
  return {
    all: [...cooperatives, ...enterprises, ...households],
    cooperatives,
    enterprises,
    households,
    members,
  };
}

// ---------------------------------------------------------------------------------------------
// Goods: names, packs and prices by category.

type Category = Product['category'];
interface Good {
  category: Category;
  /** Name patterns; {p} is the place. */
  names: readonly string[];
  en: string;
  /** Price of 1 kg (or of one `units` pack), whole VND. */
  perKg: [number, number];
  packs: readonly (readonly number[])[] | undefined;
  units?: readonly (readonly [string, number])[];
  about: readonly string[];
}

const TEA_QUALIFIERS = [
  '',
  '',
  ' vụ xuân',
  ' thượng hạng',
  ' loại đặc biệt',
  ' hảo hạng',
  ' sao tay',
  ' hữu cơ',
  ' túi zip',
  ' hút chân không',
  ' đặc sản',
  ' sao chảo gang',
  ' loại 1',
  ' hộp quà',
];
const TEA_ABOUT = [
  'Búp chè hái tay buổi sáng, sao ngay trong ngày bằng chảo gang.',
  'Nước xanh trong, hương cốm non, vị chát dịu và hậu ngọt sâu.',
  'Đóng túi hút chân không hai lớp, giữ hương được lâu.',
  'Chè trồng trên đất đồi, không dùng thuốc diệt cỏ.',
  'Pha với nước 85–90 °C, tráng ấm trước, hãm 2–3 phút.',
  'Sao hai lửa để cánh chè xoăn chặt, màu xanh đen có tuyết.',
  'Vườn chè được cấp mã vùng trồng, ghi chép nhật ký canh tác.',
];

const GOODS: Good[] = [
  {
    category: 'che-dinh',
    names: ['Chè đinh {p}', 'Trà đinh {p}', 'Chè đinh ngọc {p}'],
    en: 'Dinh tea',
    perKg: [2_400_000, 6_000_000],
    packs: [
      [100, 200, 500],
      [50, 100, 200],
    ],
    about: [
      'Chỉ hái phần đinh nhỏ nhất trên đỉnh búp, mỗi cân chè khô cần hàng chục cân búp tươi.',
      ...TEA_ABOUT,
    ],
  },
  {
    category: 'che-tom-non',
    names: ['Chè tôm nõn {p}', 'Trà tôm nõn {p}'],
    en: 'Bud-only tea',
    perKg: [1_000_000, 2_200_000],
    packs: [
      [100, 200, 500],
      [200, 500, 1000],
    ],
    about: ['Một tôm một lá non, búp đều, cánh nhỏ săn chắc.', ...TEA_ABOUT],
  },
  {
    category: 'che-non',
    names: ['Chè nõn {p}', 'Trà nõn {p}', 'Chè nõn tôm {p}'],
    en: 'Young shoot tea',
    perKg: [500_000, 1_200_000],
    packs: [
      [200, 500, 1000],
      [100, 200, 500],
    ],
    about: ['Búp nõn một tôm hai lá, sao khô vừa lửa.', ...TEA_ABOUT],
  },
  {
    category: 'che-moc-cau',
    names: ['Chè móc câu {p}', 'Trà móc câu {p}', 'Chè búp móc câu {p}'],
    en: 'Hooked-leaf tea',
    perKg: [300_000, 700_000],
    packs: [
      [200, 500, 1000],
      [250, 500, 1000],
    ],
    about: ['Cánh chè cong như lưỡi câu, nước vàng xanh, uống hằng ngày.', ...TEA_ABOUT],
  },
  {
    category: 'che-bup',
    names: ['Chè búp {p}', 'Chè xanh {p}', 'Chè búp sao {p}'],
    en: 'Green tea buds',
    perKg: [150_000, 350_000],
    packs: [
      [500, 1000, 2000],
      [200, 500, 1000],
    ],
    about: ['Chè búp sao thủ công, vị đậm, hợp pha ấm lớn.', ...TEA_ABOUT],
  },
  {
    category: 'tra-tui-loc',
    names: ['Trà xanh túi lọc {p}', 'Trà túi lọc {p}', 'Trà xanh túi lọc hữu cơ {p}'],
    en: 'Green tea bags',
    perKg: [1500, 3200],
    packs: undefined,
    units: [
      ['hộp 25 túi', 25],
      ['hộp 50 túi', 50],
      ['hộp 100 túi', 100],
    ],
    about: [
      'Mỗi túi 2 g chè xanh nghiền, pha nhanh ở văn phòng.',
      'Túi lọc giấy không tẩy trắng, hộp giấy tái chế.',
    ],
  },
  {
    category: 'tra-gaba',
    names: ['Trà GABA {p}', 'Trà xanh GABA {p}'],
    en: 'GABA tea',
    perKg: [800_000, 1_600_000],
    packs: [[100, 200, 500]],
    about: ['Lên men yếm khí để tăng hàm lượng GABA, vị dịu, hương mật.', ...TEA_ABOUT.slice(0, 3)],
  },
  {
    category: 'mat-ong',
    names: ['Mật ong hoa rừng {p}', 'Mật ong hoa nhãn {p}', 'Mật ong hoa keo {p}', 'Mật ong rừng {p}'],
    en: 'Honey',
    perKg: [150_000, 450_000],
    packs: undefined,
    units: [
      ['hũ 250 ml', 0.25],
      ['chai 500 ml', 0.5],
      ['chai 1 lít', 1],
    ],
    about: [
      'Ong nuôi dưới tán rừng, quay mật khi đủ già, không pha đường.',
      'Mật sánh, thơm mùi hoa, để lâu có thể kết tinh tự nhiên.',
    ],
  },
  {
    category: 'mang-kho',
    names: ['Măng khô {p}', 'Măng nứa khô {p}', 'Măng vầu sấy {p}', 'Măng giang khô {p}'],
    en: 'Dried bamboo shoots',
    perKg: [250_000, 500_000],
    packs: [[250, 500, 1000]],
    about: ['Măng rừng luộc chín rồi phơi nắng, không lưu huỳnh.', 'Ngâm nước vo gạo một đêm trước khi nấu.'],
  },
  {
    category: 'nam',
    names: ['Nấm hương rừng {p}', 'Mộc nhĩ rừng {p}', 'Nấm sò khô {p}', 'Nấm linh chi {p}'],
    en: 'Mushrooms',
    perKg: [300_000, 900_000],
    packs: [[100, 250, 500]],
    about: ['Phơi khô tự nhiên, tai dày, thơm.', 'Trồng trên mùn cưa sạch, sấy ở nhiệt độ thấp.'],
  },
  {
    category: 'mien-gao',
    names: ['Miến dong {p}', 'Gạo Bao thai {p}', 'Gạo nếp vải {p}', 'Bún khô {p}'],
    en: 'Vermicelli and rice',
    perKg: [30_000, 120_000],
    packs: [
      [500, 1000, 2000],
      [2000, 5000, 10_000],
    ],
    about: [
      'Làm từ củ dong riềng trồng tại địa phương, sợi dai, không hóa chất.',
      'Gạo vụ mùa, xay xát trong tuần.',
    ],
  },
  {
    category: 'trai-cay',
    names: ['Na {p}', 'Quýt {p}', 'Hồng không hạt {p}', 'Cam {p}', 'Bưởi {p}'],
    en: 'Fruit',
    perKg: [35_000, 120_000],
    packs: [[1000, 2000, 5000]],
    about: ['Hái khi chín cây, giao trong 48 giờ.', 'Đóng thùng có lót giấy, chọn quả đều.'],
  },
];
const goodByCategory = new Map(GOODS.map((g) => [g.category, g]));
const TEA_MIX = [
  ['che-dinh', 6],
  ['che-tom-non', 14],
  ['che-non', 22],
  ['che-moc-cau', 22],
  ['che-bup', 18],
  ['tra-tui-loc', 7],
  ['tra-gaba', 4],
  ['mat-ong', 2],
  ['nam', 2],
  ['mien-gao', 1],
  ['trai-cay', 2],
] as const;
const BAC_KAN_MIX = [
  ['che-bup', 10],
  ['che-moc-cau', 6],
  ['mat-ong', 12],
  ['mang-kho', 16],
  ['nam', 12],
  ['mien-gao', 14],
  ['trai-cay', 12],
] as const;
const OTHER_MIX = [
  ['che-non', 8],
  ['che-moc-cau', 10],
  ['che-bup', 12],
  ['tra-tui-loc', 3],
  ['mat-ong', 6],
  ['nam', 5],
  ['mien-gao', 6],
  ['trai-cay', 8],
] as const;

const roundPrice = (vnd: number) => Math.max(1000, Math.round(vnd / 1000) * 1000);

function packsFor(rng: Rng, good: Good, productId: string): Variant[] {
  const perKg = rng.int(good.perKg[0] / 1000, good.perKg[1] / 1000) * 1000;
  const stock = () => (rng.chance(0.04) ? 0 : rng.int(5, 300));
  if (good.units) {
    return good.units.map(([unit, amount], n) => ({
      id: `${productId}-v${n + 1}`,
      productId,
      unit,
      // Larger packs are a little cheaper per unit.
      price: roundPrice(perKg * amount * (1 - n * 0.05)),
      stock: stock(),
    }));
  }
  return rng.pick(good.packs!).map((grams, n) => ({
    id: `${productId}-v${n + 1}`,
    productId,
    grams,
    price: roundPrice((perKg * grams * (1 - n * 0.05)) / 1000),
    stock: stock(),
  }));
}

/** Harvest seasons, oldest first; a listing's two lots are two seasons in a row. */
const SEASONS = [
  { name: 'Vụ thu 2025', from: Date.UTC(2025, 7, 5), days: 70 },
  { name: 'Vụ xuân 2026', from: Date.UTC(2026, 1, 20), days: 60 },
  { name: 'Vụ hè 2026', from: Date.UTC(2026, 4, 1), days: 75 },
  { name: 'Vụ thu 2026', from: Date.UTC(2026, 7, 1), days: 70 },
];

/** Issuer of an OCOP certificate by star level. */
const ocopIssuer = (stars: 3 | 4 | 5) =>
  stars === 5 ? 'Bộ Nông nghiệp và Môi trường' : 'UBND tỉnh Thái Nguyên';

/** The listing at `index` (0-based) of a province catalog over `producers`. */
export function scaleListing(
  index: number,
  producers: ScaleProducers,
  size: Pick<ScaleSize, 'listings' | 'seed'>,
): ScaleListing {
  const rng = stream(size.seed, KIND.listing, index);
  const owner = rng.weighted([
    ['cooperative', 20],
    ['enterprise', 10],
    ['household', 70],
  ] as const);
  const pool =
    owner === 'cooperative'
      ? producers.cooperatives
      : owner === 'enterprise'
        ? producers.enterprises
        : producers.households;
  const producer = rng.pick(pool);
  const place = PLACES.find((p) => p.code === producer.address.communeCode)!;
  const category = rng.weighted(place.bacKan ? BAC_KAN_MIX : place.tea ? TEA_MIX : OTHER_MIX);
  const good = goodByCategory.get(category)!;
  const tea = category.startsWith('che-') || category.startsWith('tra-');
  const id = `sx-sp-${pad(index + 1, 6)}`;
  const nameVi = `${rng.pick(good.names).replace('{p}', place.name)}${tea && rng.chance(0.6) ? rng.pick(TEA_QUALIFIERS) : ''}`;
  const nameEn = rng.chance(0.4) ? `${good.en} from ${titleAscii(place.name)}` : undefined;
  const about = [rng.pick(good.about), rng.pick(good.about)];
  const description = [
    ...new Set(about),
    `Sản phẩm của ${producer.name}, ${place.unit}, tỉnh Thái Nguyên.`,
  ].join(' ');
  // Published from September 2025 to November 2026, evenly, in index order.
  const span = Date.UTC(2026, 10, 30) - Date.UTC(2025, 8, 1);
  const published = iso(
    Date.UTC(2025, 8, 1) + Math.floor((index / Math.max(1, size.listings)) * span) + rng.int(0, 3599) * 1000,
  );
  const variants = packsFor(rng, good, id);

  // About 1.6 % of listings carry an OCOP certificate (Thái Nguyên had 313 OCOP products in 2024).
  const certificates: OcopCertificate[] = [];
  if (index % 62 === 7) {
    const stars = rng.weighted([
      [3, 60],
      [4, 36],
      [5, 4],
    ] as const);
    const decided = Date.UTC(2023, 6, 1) + rng.int(0, 1200) * DAY;
    certificates.push({
      id: `${id}-ocop`,
      productId: id,
      stars,
      decisionNumber: `${rng.int(100, 3999)}/QĐ-${stars === 5 ? 'BNNMT' : 'UBND'}`,
      decisionDate: iso(Math.min(decided, Date.UTC(2026, 10, 1))).slice(0, 10),
      issuer: ocopIssuer(stars),
      verified: !rng.chance(0.05),
    });
  }

  // Two lots: the last two harvests, grown by the seller or, for a cooperative, by members.
  const growers = producer.kind === 'cooperative' ? (producers.members.get(producer.id) ?? []) : [];
  const area = `TN-${initials(place.name)}-VT-${pad(rng.int(1, 250), 3)}`;
  const seasonStart = rng.int(0, 2);
  const lots: Lot[] = [0, 1].map((n) => {
    const season = SEASONS[seasonStart + n]!;
    const harvest = iso(season.from + rng.int(0, season.days) * DAY).slice(0, 10);
    const grower = growers.length > 0 ? rng.pick(growers).id : producer.id;
    return {
      id: `${id}-lot-${n + 1}`,
      productId: id,
      householdId: grower,
      traceCode: `TN${harvest.slice(2, 4)}${harvest.slice(5, 7)}-${pad(index + 1, 6)}${n + 1}`,
      harvestDate: harvest,
      season: season.name,
      growingAreaCode: area,
      certifications: rng.chance(0.3) ? (rng.chance(0.15) ? ['VietGAP', 'organic'] : ['VietGAP']) : [],
      createdAt: published,
    };
  });

  return {
    product: {
      id,
      slug: `${slugify(nameVi).slice(0, 60)}-${pad(index + 1, 6)}`,
      producerId: producer.id,
      category,
      name: { vi: nameVi, ...(nameEn ? { en: nameEn } : {}) },
      description: { vi: description },
      status: 'published',
      createdAt: published,
      updatedAt: published,
      publishedAt: published,
    },
    variants,
    certificates,
    lots,
  };
}
