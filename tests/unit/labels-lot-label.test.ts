import jsQR from 'jsqr';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  LABEL_SIZE_MM,
  lotLabelLayout,
  lotLabelPng,
  lotLabelSvg,
  QR_QUIET_ZONE,
  traceUrl,
  type LotLabelInput,
} from '../../shared/labels/lot-label.ts';
import { textWidth } from '../../shared/labels/text-layout.ts';

const ORIGIN = 'https://sanocop.thainguyen.vn';
const URL_0011 = `${ORIGIN}/truy-xuat/TN2603-0011/`;

const LABEL: LotLabelInput = {
  siteOrigin: ORIGIN,
  traceCode: 'TN2603-0011',
  productName: 'Chè Tân Cương đặc biệt',
  producerName: 'Hộ Nguyễn Văn Thành',
  commune: 'Xã Tân Cương',
  harvestDate: '2026-03-18',
  season: 'Vụ xuân 2026',
  growingAreaCode: 'TN-TC-VT-014',
  certifications: ['VietGAP', 'organic'],
  ocopStars: 4,
};

/** The longest input the domain allows, in wide letters: the layout's worst case. */
const WORST: LotLabelInput = {
  siteOrigin: 'https://cho-nong-san-va-san-pham-ocop.thainguyen.gov.vn',
  traceCode: 'W'.repeat(16) + 'M'.repeat(16),
  productName: 'ĐẶC SẢN CHÈ MÓC CÂU TÂN CƯƠNG THƯỢNG HẠNG '.repeat(5),
  producerName: 'HỢP TÁC XÃ MẬT ONG VÀ NẤM TRẠI CAU '.repeat(6),
  commune: 'Xã Quảng Ninh Mường Khương',
  harvestDate: '2026-12-31',
  season: 'VỤ ĐÔNG XUÂN MƯỜI HAI THÁNG '.repeat(2),
  growingAreaCode: 'VN-TN-DT-HTX-CHE-TAN-CUONG-XANH-2026-014',
  certifications: ['VietGAP', 'GlobalGAP', 'organic', 'OCOP'],
  ocopStars: 5,
};

const HOSTILE = `Trà </text><script>alert("x")</script> & <!-- 'ngon' --> ]]> &amp;`;

// --- A small XML reader: enough to prove the SVG well-formed and read its text back. ---

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const NAME = /^[A-Za-z_][\w.:-]*/;

/** Throws unless `xml` is one well-formed element (after an optional declaration). */
function assertWellFormedXml(xml: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new Error('illegal character');
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const checkText = (text: string) => {
    if (text.replace(ENTITY, '').includes('&')) throw new Error(`bare & in ${JSON.stringify(text)}`);
    if (text.includes('>') && text.includes(']]>')) throw new Error(']]> in text');
  };
  while (rest.length) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (text.trim() && !stack.length) throw new Error('text outside the root element');
    checkText(text);
    if (lt === -1) break;
    rest = rest.slice(lt);
    if (rest.startsWith('</')) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(rest);
      if (!m || stack.pop() !== m[1]) throw new Error(`unbalanced ${rest.slice(0, 30)}`);
      rest = rest.slice(m[0].length);
      continue;
    }
    if (rest.startsWith('<!--') || rest.startsWith('<!') || rest.startsWith('<?')) {
      throw new Error(`unexpected markup ${rest.slice(0, 30)}`);
    }
    rest = rest.slice(1);
    const name = NAME.exec(rest)?.[0];
    if (!name) throw new Error(`bad tag at ${rest.slice(0, 30)}`);
    rest = rest.slice(name.length);
    const seen = new Set<string>();
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(rest);
      if (!attr) break;
      if (seen.has(attr[1]!)) throw new Error(`duplicate attribute ${attr[1]}`);
      seen.add(attr[1]!);
      checkText(attr[3] ?? attr[4] ?? '');
      rest = rest.slice(attr[0].length);
    }
    const end = /^\s*(\/?)>/.exec(rest);
    if (!end) throw new Error(`bad tag end at ${rest.slice(0, 30)}`);
    rest = rest.slice(end[0].length);
    if (!stack.length) roots += 1;
    if (!end[1]) stack.push(name);
  }
  if (stack.length || roots !== 1) throw new Error(`open elements ${stack.join(',')} or ${roots} roots`);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The character data of every element named `tag`, unescaped. */
function contents(svg: string, tag: string): string[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) =>
    unescapeXml(m[1]!),
  );
}

const elementCount = (svg: string) => svg.match(/<[A-Za-z]/g)?.length ?? 0;

async function decodePng(png: Buffer): Promise<string | undefined> {
  const { data, info } = await sharp(png)
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
  return jsQR(pixels, info.width, info.height)?.data;
}

describe('traceUrl', () => {
  it('builds the storefront trace page of a lot', () => {
    expect(traceUrl(ORIGIN, 'TN2603-0011')).toBe(URL_0011);
  });

  it('never doubles the slash after the origin', () => {
    expect(traceUrl(`${ORIGIN}/`, 'TN2603-0011')).toBe(URL_0011);
    expect(traceUrl(' http://127.0.0.1:8080/ ', 'TN2603-0011')).toBe(
      'http://127.0.0.1:8080/truy-xuat/TN2603-0011/',
    );
  });

  it('upper-cases the trace code and normalizes the origin', () => {
    expect(traceUrl('HTTPS://SanOCOP.ThaiNguyen.VN:443', ' tn2603-0011 ')).toBe(URL_0011);
  });

  it.each([
    'TN26',
    'TN2603 0011',
    'TN2603/0011',
    '../../admin',
    'TN2603-0011?x=1',
    'TN2603_0011',
    'Ư'.repeat(8),
  ])('rejects the trace code %j', (code) => {
    expect(() => traceUrl(ORIGIN, code)).toThrow(DomainError);
  });

  it.each([
    'sanocop.thainguyen.vn',
    'ftp://sanocop.thainguyen.vn',
    'javascript:alert(1)',
    `${ORIGIN}/vi/`,
    `${ORIGIN}/?a=1`,
    `${ORIGIN}/#top`,
    'https://user:pw@sanocop.thainguyen.vn',
  ])('rejects the site origin %j', (origin) => {
    expect(() => traceUrl(origin, 'TN2603-0011')).toThrow(DomainError);
  });
});

describe('lotLabelSvg', () => {
  it('is a well-formed SVG of 62 mm × 40 mm that sharp reads', async () => {
    const svg = await lotLabelSvg(LABEL);
    assertWellFormedXml(svg);
    expect(svg).toContain('width="62mm" height="40mm" viewBox="0 0 62 40"');
    const meta = await sharp(Buffer.from(svg)).metadata();
    expect(meta.format).toBe('svg');
  });

  it('prints what, who, where and when, escaped', async () => {
    const svg = await lotLabelSvg({ ...LABEL, producerName: 'HTX Chè & Trà "Tân Cương"' });
    const texts = contents(svg, 'text');
    expect(texts).toEqual([
      'Chè Tân Cương',
      'đặc biệt',
      'HTX Chè & Trà "Tân Cương"',
      'Xã Tân Cương',
      'Thu hái: 18/03/2026',
      'Vụ xuân 2026',
      'Vùng trồng: TN-TC-VT-014',
      'OCOP ★★★★ · VietGAP',
      'Hữu cơ',
      'TN2603-0011',
      'Quét để truy xuất nguồn gốc',
    ]);
    expect(svg).toContain('HTX Chè &amp; Trà &quot;Tân Cương&quot;');
    expect(contents(svg, 'title')).toEqual(['Tem truy xuất TN2603-0011 — Chè Tân Cương đặc biệt']);
  });

  it('uses generic font stacks, loads nothing and sets the trace code in monospace', async () => {
    const svg = await lotLabelSvg(LABEL);
    expect(svg).toContain(`font-family="'DejaVu Sans', 'Noto Sans'`);
    expect(svg).toMatch(/font-family="'DejaVu Sans Mono'[^"]*monospace"[^>]*>TN2603-0011</);
    expect(svg).not.toMatch(/@font-face|@import|url\(|href=|<image|<script/);
  });

  it('wraps a long product name to two lines ending in an ellipsis', async () => {
    const productName =
      'Chè móc câu Tân Cương đặc biệt, búp non một tôm hai lá, sao tay trên chảo gang truyền thống';
    const layout = lotLabelLayout({ ...LABEL, productName });
    const name = layout.lines.filter((l) => l.style === 'bold' && l.size === layout.lines[0]!.size);
    expect(name).toHaveLength(2);
    expect(name[1]!.text).toMatch(/…$/);
    expect(productName.startsWith(name[0]!.text)).toBe(true);
  });

  it('shows OCOP stars only when given, and an OCOP certification without stars as text', async () => {
    const none = contents(await lotLabelSvg({ ...LABEL, ocopStars: null, certifications: ['OCOP'] }), 'text');
    expect(none.join('\n')).not.toContain('★');
    expect(none).toContain('OCOP');
    const noCerts = contents(
      await lotLabelSvg({ ...LABEL, ocopStars: undefined, certifications: [] }),
      'text',
    );
    expect(noCerts.at(-3)).toBe('Vùng trồng: TN-TC-VT-014');
    const five = contents(await lotLabelSvg({ ...LABEL, ocopStars: 5, certifications: ['OCOP'] }), 'text');
    expect(five).toContain('OCOP ★★★★★');
  });

  it('draws exactly the modules of the QR code for the trace URL', async () => {
    const layout = lotLabelLayout(LABEL);
    const expected = QRCode.create(URL_0011, { errorCorrectionLevel: 'M' }).modules;
    expect(layout.url).toBe(URL_0011);
    expect(layout.modules).toHaveLength(expected.size);
    layout.modules.forEach((row, r) =>
      row.forEach((dark, c) => expect(dark, `module ${r},${c}`).toBe(expected.get(r, c) === 1)),
    );
    // Read the path back into a grid: each subpath is one horizontal run of dark modules.
    const svg = await lotLabelSvg(LABEL);
    const path = /<path d="([^"]+)"/.exec(svg)![1]!;
    const { x, y, module } = layout.qr;
    const drawn = layout.modules.map((row) => row.map(() => false));
    for (const m of path.matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-([\d.]+)z/g)) {
      const [col, row, run] = [(+m[1]! - x) / module, (+m[2]! - y) / module, +m[3]! / module];
      expect(+m[4]!).toBeCloseTo(module, 2);
      for (const n of [col, row, run]) expect(Math.abs(n - Math.round(n))).toBeLessThan(0.01);
      for (let c = Math.round(col); c < Math.round(col + run); c++) drawn[Math.round(row)]![c] = true;
    }
    expect(drawn).toEqual(layout.modules);
  });

  it('keeps everything inside the label, the text inside its column, and no lines overlapping', () => {
    for (const input of [LABEL, WORST]) {
      const layout = lotLabelLayout(input);
      const symbol = layout.modules.length * layout.qr.module;
      const quiet = QR_QUIET_ZONE * layout.qr.module;
      expect(layout.qr.x - quiet).toBeGreaterThanOrEqual(0);
      expect(layout.qr.y - quiet).toBeGreaterThanOrEqual(0);
      expect(layout.qr.y + symbol + quiet).toBeLessThanOrEqual(LABEL_SIZE_MM.height);
      const qrRight = layout.qr.x + symbol + quiet;
      let previousBottom = 0;
      for (const line of layout.lines) {
        expect(line.x).toBeGreaterThanOrEqual(qrRight);
        expect(line.x + textWidth(line.text, line.style, line.size)).toBeLessThanOrEqual(
          LABEL_SIZE_MM.width - 1,
        );
        expect(line.top).toBeGreaterThanOrEqual(previousBottom - 1e-9);
        expect(line.y + 0.25 * line.size).toBeLessThanOrEqual(LABEL_SIZE_MM.height - 1);
        previousBottom = line.bottom;
      }
      const rest = layout.lines.slice(0, -2);
      expect(rest.at(-1)!.bottom).toBeLessThan(layout.ruleY);
      expect(layout.lines.at(-2)!.top).toBeGreaterThan(layout.ruleY);
    }
  });

  it('keeps the OCOP stars and the growing area when the text is at its longest', () => {
    const texts = lotLabelLayout(WORST).lines.map((l) => l.text);
    expect(texts).toContain('OCOP ★★★★★ · VietGAP');
    expect(texts.join('')).toContain(WORST.growingAreaCode);
    expect(texts).toContain(WORST.traceCode);
  });

  it('escapes hostile text everywhere, so it neither breaks the SVG nor adds markup', async () => {
    const benign = await lotLabelSvg(LABEL);
    const svg = await lotLabelSvg({
      ...LABEL,
      productName: HOSTILE,
      producerName: `"/><image href="x"/>`,
      commune: "Xã '&lt;'",
      season: 'Vụ\u0000 xuân\u202E 2026\n<![CDATA[x]]>',
      growingAreaCode: '<a>',
      certifications: ['<b>VietGAP</b>'],
    });
    assertWellFormedXml(svg);
    expect(elementCount(svg)).toBe(elementCount(benign));
    expect(svg).not.toMatch(/<script|<image|<!--|<!\[CDATA|<a>|<b>/);
    expect(svg).not.toContain('\u0000');
    expect(svg).not.toContain('\u202E');
    const texts = contents(svg, 'text');
    expect(HOSTILE.startsWith(texts[0]!)).toBe(true);
    expect(texts[0]!.length).toBeGreaterThan(5);
    expect(texts).toContain('Vùng trồng: <a>');
    expect(texts.join(' ')).toContain(`Xã '&lt;'`);
    expect(contents(svg, 'title')[0]).toContain('</text><script>');
    expect((await sharp(Buffer.from(svg)).metadata()).format).toBe('svg');
  });

  it('rejects incomplete or impossible input', async () => {
    await expect(lotLabelSvg({ ...LABEL, productName: '  ' })).rejects.toThrow(DomainError);
    await expect(lotLabelSvg({ ...LABEL, harvestDate: '2026-02-30' })).rejects.toThrow(DomainError);
    await expect(lotLabelSvg({ ...LABEL, harvestDate: '18/03/2026' })).rejects.toThrow(DomainError);
    await expect(lotLabelSvg({ ...LABEL, ocopStars: 6 })).rejects.toThrow(DomainError);
    await expect(lotLabelSvg({ ...LABEL, ocopStars: 3.5 })).rejects.toThrow(DomainError);
    await expect(lotLabelSvg({ ...LABEL, traceCode: 'x' })).rejects.toThrow(DomainError);
  });
});

describe('lotLabelPng', () => {
  it('renders 62 mm × 40 mm at 300 dpi: 732 × 472 px, greyscale, density recorded', async () => {
    const png = await lotLabelPng(LABEL);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 732, height: 472, channels: 1, density: 300 });
  });

  it('scales the resolution', async () => {
    const meta = await sharp(await lotLabelPng(LABEL, { scale: 2 })).metadata();
    expect(meta).toMatchObject({ width: 1465, height: 945, density: 600 });
    await expect(lotLabelPng(LABEL, { scale: 0 })).rejects.toThrow(DomainError);
    await expect(lotLabelPng(LABEL, { scale: Number.NaN })).rejects.toThrow(DomainError);
  });

  it('carries a QR code that decodes to the trace URL', async () => {
    expect(await decodePng(await lotLabelPng(LABEL))).toBe(URL_0011);
  });

  it('decodes at 150 dpi and with the longest trace code and origin', async () => {
    expect(await decodePng(await lotLabelPng(LABEL, { scale: 0.5 }))).toBe(URL_0011);
    expect(await decodePng(await lotLabelPng(WORST))).toBe(traceUrl(WORST.siteOrigin, WORST.traceCode));
  });

  it('decodes with hostile text beside the code', async () => {
    expect(await decodePng(await lotLabelPng({ ...LABEL, productName: HOSTILE }))).toBe(URL_0011);
  });

  it('leaves the quiet zone white', async () => {
    const layout = lotLabelLayout(LABEL);
    const png = await lotLabelPng(LABEL);
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const px = info.width / LABEL_SIZE_MM.width;
    const { x, y, module } = layout.qr;
    const size = layout.modules.length * module;
    const quiet = QR_QUIET_ZONE * module;
    // Sample the ring between the symbol and the edge of its quiet zone, a pixel in from each side.
    let darkest = 255;
    for (let mm = x - quiet; mm <= x + size + quiet; mm += 0.1) {
      for (const ringY of [y - quiet + 0.1, y - 0.15, y + size + 0.15, y + size + quiet - 0.1]) {
        darkest = Math.min(darkest, data[Math.round(ringY * px) * info.width + Math.round(mm * px)] ?? 0);
      }
    }
    expect(darkest).toBe(255);
  });
});
