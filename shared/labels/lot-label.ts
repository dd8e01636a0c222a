/**
 * Printable QR labels for harvest lots (tem truy xuất). A label is an SVG in millimetres,
 * 62 mm × 40 mm (a die-cut label on 62 mm thermal tape): the QR code on the left points to the
 * lot's public trace page, `/truy-xuat/<traceCode>/` on the storefront; the text on the right
 * says what, who, where and when. The PNG is the same SVG rendered by sharp at 300 dpi.
 *
 * No fonts are embedded or fetched: the text uses generic family stacks led by DejaVu, which
 * Debian installs and which covers Vietnamese. Text is wrapped here, against DejaVu's widths
 * (see text-layout.ts), because SVG does not wrap.
 */
// The QR core only: the package's entry also loads its PNG renderer (pngjs), which labels never use.
import QRCode from 'qrcode/lib/core/qrcode.js';
import sharp from 'sharp';
import * as z from 'zod';
import { IsoDate } from '../domain/common.ts';
import { invalid } from '../domain/errors.ts';
import { Lot } from '../domain/lot.ts';
import { cleanText, escapeXml, fitFontSize, SEPARATOR, wrapText, type FontStyle } from './text-layout.ts';

export interface LotLabelInput {
  /** The storefront's origin, e.g. `https://sanocop.thainguyen.vn` (a trailing slash is fine). */
  siteOrigin: string;
  /** The lot's public trace code, e.g. `TN2603-0011`; lower case is accepted and upper-cased. */
  traceCode: string;
  productName: string;
  producerName: string;
  /** The commune's name, e.g. `Xã Tân Cương`. */
  commune: string;
  /** YYYY-MM-DD */
  harvestDate: string;
  /** As recorded on the lot, e.g. `Vụ xuân 2026`. */
  season: string;
  growingAreaCode: string;
  /** Lot certification codes (`VietGAP`, `GlobalGAP`, `organic`, `OCOP`) or other names, printed as given. */
  certifications: readonly string[];
  /** Stars of the product's current OCOP badge; pass null when the certificate is expired or unverified. */
  ocopStars?: number | null;
}

export interface LotLabelPngOptions {
  /** Multiplies the 300 dpi print resolution: 2 gives 600 dpi. Default 1. */
  scale?: number;
}

/** Label size in millimetres (the SVG's user units). */
export const LABEL_SIZE_MM = { width: 62, height: 40 } as const;
/** The PNG's resolution at scale 1. */
export const LABEL_DPI = 300;
/** QR error correction: M restores 15 % of the symbol, enough for a scuffed thermal label. */
export const QR_ERROR_CORRECTION = 'M' as const;
/** The quiet zone around the QR symbol, in modules (the standard's minimum). */
export const QR_QUIET_ZONE = 4;

const FONT_SANS = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', Arial, sans-serif";
const FONT_MONO = "'DejaVu Sans Mono', 'Noto Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

/** Geometry, in mm. */
const QR_BOX = { x: 0.5, size: 30 } as const;
const TEXT_X = QR_BOX.x + QR_BOX.size + 0.3;
const TEXT_WIDTH = LABEL_SIZE_MM.width - 1.2 - TEXT_X;
const TOP = 1.6;
const BOTTOM = LABEL_SIZE_MM.height - 1.5;
/** Baseline below the top of a line box, as a fraction of the font size (room for stacked diacritics). */
const ASCENT = 0.82;
const LINE_HEIGHT = 1.2;

const CERTIFICATION_LABELS: Record<string, string> = {
  organic: 'Hữu cơ',
  VietGAP: 'VietGAP',
  GlobalGAP: 'GlobalGAP',
  OCOP: 'OCOP',
};

/** The public trace page of a lot: `${origin}/truy-xuat/${TRACECODE}/`. */
export function traceUrl(siteOrigin: string, traceCode: string): string {
  return `${parseOrigin(siteOrigin)}/truy-xuat/${parseTraceCode(traceCode)}/`;
}

function parseOrigin(siteOrigin: string): string {
  let url: URL;
  try {
    url = new URL(siteOrigin.trim());
  } catch {
    throw invalid('label.site_origin', `Địa chỉ trang không hợp lệ: "${siteOrigin}"`);
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) {
    throw invalid(
      'label.site_origin',
      `Địa chỉ trang phải là một origin http(s), không có đường dẫn: "${siteOrigin}"`,
    );
  }
  return url.origin;
}

function parseTraceCode(traceCode: string): string {
  const code = traceCode.trim().toUpperCase();
  if (!Lot.shape.traceCode.safeParse(code).success) {
    throw invalid('label.trace_code', `Mã truy xuất không hợp lệ: "${traceCode}"`);
  }
  return code;
}

const Input = z.object({
  productName: z.string().transform(cleanText).pipe(z.string().min(1)),
  producerName: z.string().transform(cleanText).pipe(z.string().min(1)),
  commune: z.string().transform(cleanText).pipe(z.string().min(1)),
  harvestDate: IsoDate,
  season: z.string().transform(cleanText),
  growingAreaCode: z.string().transform(cleanText).pipe(z.string().min(1)),
  certifications: z.array(z.string().transform(cleanText)),
  ocopStars: z.int().min(3).max(5).nullish(),
});

/** "2026-03-18" → "18/03/2026", as written (no time zone involved). */
function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

interface TextBlock {
  text: string;
  style: FontStyle;
  size: number;
  maxLines: number;
  /** Space above the block, mm. */
  gapBefore: number;
}

export interface PlacedLine {
  text: string;
  style: FontStyle;
  size: number;
  x: number;
  /** Baseline. */
  y: number;
  /** Top and bottom of the line box, for layout checks. */
  top: number;
  bottom: number;
}

export interface LotLabelLayout {
  url: string;
  traceCode: string;
  /** The QR symbol's modules, row by row (true = dark), without the quiet zone. */
  modules: boolean[][];
  /** Where the symbol's first module sits and how wide a module is, mm. */
  qr: { x: number; y: number; module: number };
  lines: PlacedLine[];
  /** The horizontal rule above the trace code. */
  ruleY: number;
}

/** Computes everything the label draws; `lotLabelSvg` only serializes it. Throws on bad input. */
export function lotLabelLayout(input: LotLabelInput): LotLabelLayout {
  const url = traceUrl(input.siteOrigin, input.traceCode);
  const code = parseTraceCode(input.traceCode);
  const parsed = Input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      'label.input',
      `Thiếu hoặc sai thông tin tem: ${issue?.path.join('.')} — ${issue?.message}`,
    );
  }
  const v = parsed.data;

  const qr = QRCode.create(url, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const count = qr.modules.size;
  const modules = Array.from({ length: count }, (_, row) =>
    Array.from({ length: count }, (_, col) => qr.modules.get(row, col) === 1),
  );
  const module = QR_BOX.size / (count + 2 * QR_QUIET_ZONE);
  const qrTop = (LABEL_SIZE_MM.height - QR_BOX.size) / 2;
  const qrPlace = { x: QR_BOX.x + QR_QUIET_ZONE * module, y: qrTop + QR_QUIET_ZONE * module, module };

  // Bottom up: the scan hint, the trace code above it, a rule above that.
  const hint = 'Quét để truy xuất nguồn gốc';
  const hintSize = fitFontSize(hint, 'regular', TEXT_WIDTH, 1.9, 1.4);
  const codeSize = fitFontSize(code, 'mono', TEXT_WIDTH, 4.8, 1.4);
  const hintLine = line(hint, 'regular', hintSize, BOTTOM - hintSize * ASCENT);
  const codeBaseline = hintLine.top - 0.9;
  // Capitals, digits and hyphens only: the box runs from cap height to the baseline.
  const codeLine: PlacedLine = {
    text: code,
    style: 'mono',
    size: codeSize,
    x: TEXT_X,
    y: codeBaseline,
    top: codeBaseline - codeSize * 0.73,
    bottom: codeBaseline,
  };
  const ruleY = codeLine.top - 1;

  // Top down: the descriptive text, shrunk if (rarely) it would run into the rule.
  // The OCOP stars lead, so that they are never the part cut off.
  const certs = [
    ...(v.ocopStars ? [`OCOP ${'★'.repeat(v.ocopStars)}`] : []),
    ...v.certifications
      .filter(Boolean)
      .map((c) => CERTIFICATION_LABELS[c] ?? c)
      .filter((c) => !(v.ocopStars && c === 'OCOP')),
  ];
  const blocks = (k: number): TextBlock[] => [
    { text: v.productName, style: 'bold', size: 3 * k, maxLines: 2, gapBefore: 0 },
    {
      text: [v.producerName, v.commune].join(SEPARATOR),
      style: 'regular',
      size: 2.1 * k,
      maxLines: 2,
      gapBefore: 0.7 * k,
    },
    {
      text: [`Thu hái: ${formatDate(v.harvestDate)}`, v.season].filter(Boolean).join(SEPARATOR),
      style: 'regular',
      size: 2.1 * k,
      maxLines: 2,
      gapBefore: 0.4 * k,
    },
    {
      text: `Vùng trồng: ${v.growingAreaCode}`,
      style: 'regular',
      size: 2.1 * k,
      maxLines: 3,
      gapBefore: 0.4 * k,
    },
    { text: certs.join(SEPARATOR), style: 'bold', size: 2.1 * k, maxLines: 3, gapBefore: 0.4 * k },
  ];
  let top: PlacedLine[] = [];
  for (let k = 1; k >= 0.7; k -= 0.05) {
    top = flow(blocks(k));
    if ((top.at(-1)?.bottom ?? TOP) <= ruleY - 0.6) break;
  }
  return { url, traceCode: code, modules, qr: qrPlace, lines: [...top, codeLine, hintLine], ruleY };
}

function line(text: string, style: FontStyle, size: number, top: number): PlacedLine {
  return { text, style, size, x: TEXT_X, y: top + size * ASCENT, top, bottom: top + size * LINE_HEIGHT };
}

function flow(blocks: TextBlock[]): PlacedLine[] {
  const placed: PlacedLine[] = [];
  let y = TOP;
  for (const block of blocks) {
    if (!block.text) continue;
    if (placed.length) y += block.gapBefore;
    for (const text of wrapText(block.text, block.style, block.size, TEXT_WIDTH, block.maxLines).lines) {
      const l = line(text, block.style, block.size, y);
      placed.push(l);
      y = l.bottom;
    }
  }
  return placed;
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);

/** The dark modules as one path: a rectangle per horizontal run. */
function qrPath(layout: LotLabelLayout): string {
  const { x, y, module } = layout.qr;
  const parts: string[] = [];
  layout.modules.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) {
      if (!row[c]) continue;
      const start = c;
      while (row[c + 1]) c++;
      const w = (c - start + 1) * module;
      parts.push(`M${num(x + start * module)} ${num(y + r * module)}h${num(w)}v${num(module)}h${num(-w)}z`);
    }
  });
  return parts.join('');
}

const STYLE_ATTRS: Record<FontStyle, string> = {
  regular: '',
  bold: ' font-weight="700"',
  mono: ` font-family="${FONT_MONO}" font-weight="700"`,
};

/** The label as a standalone SVG document, 62 mm × 40 mm. */
export async function lotLabelSvg(input: LotLabelInput): Promise<string> {
  return svgDocument(lotLabelLayout(input), input);
}

/**
 * Serializes a layout. `pixels` replaces the physical size by a pixel size, for rasterizing:
 * sharp applies its `density` to millimetre sizes twice, so the PNG is rendered from pixels.
 */
function svgDocument(
  layout: LotLabelLayout,
  input: LotLabelInput,
  pixels?: { width: number; height: number },
): string {
  const { width, height } = LABEL_SIZE_MM;
  const size = pixels
    ? `width="${pixels.width}" height="${pixels.height}" preserveAspectRatio="none"`
    : `width="${width}mm" height="${height}mm"`;
  const title = `Tem truy xuất ${layout.traceCode} — ${cleanText(input.productName)}`;
  const texts = layout.lines
    .map(
      (l) =>
        `<text x="${num(l.x)}" y="${num(l.y)}" font-size="${num(l.size)}"${STYLE_ATTRS[l.style]}>${escapeXml(l.text)}</text>`,
    )
    .join('\n    ');
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 ${width} ${height}">`,
    `  <title>${escapeXml(title)}</title>`,
    `  <rect width="${width}" height="${height}" fill="#fff"/>`,
    `  <path d="${qrPath(layout)}" fill="#000" shape-rendering="crispEdges"/>`,
    `  <line x1="${num(TEXT_X)}" y1="${num(layout.ruleY)}" x2="${num(TEXT_X + TEXT_WIDTH)}" y2="${num(layout.ruleY)}" stroke="#000" stroke-width="0.2"/>`,
    `  <g font-family="${FONT_SANS}" fill="#000">`,
    `    ${texts}`,
    `  </g>`,
    `</svg>`,
    '',
  ].join('\n');
}

/** The label as a greyscale PNG at 300 dpi × `scale` (732 × 472 px at scale 1), density recorded. */
export async function lotLabelPng(input: LotLabelInput, options: LotLabelPngOptions = {}): Promise<Buffer> {
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0.25 || scale > 8) {
    throw invalid('label.scale', `Tỉ lệ ảnh phải từ 0.25 đến 8, nhận được ${scale}`);
  }
  const dpi = LABEL_DPI * scale;
  const pixels = {
    width: Math.round((LABEL_SIZE_MM.width / 25.4) * dpi),
    height: Math.round((LABEL_SIZE_MM.height / 25.4) * dpi),
  };
  const svg = svgDocument(lotLabelLayout(input), input, pixels);
  return sharp(Buffer.from(svg))
    .flatten({ background: '#ffffff' })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .withDensity(dpi)
    .toBuffer();
}
