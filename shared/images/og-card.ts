/**
 * Open Graph cards (1200 × 630 JPEG) for link previews in Zalo, Facebook and search: the
 * product's photo, its name, its price and its OCOP stars, drawn with sharp from an SVG overlay.
 * Text is wrapped here against DejaVu Sans widths (see shared/labels/text-layout.ts), which
 * covers Vietnamese; no font is fetched.
 */
import sharp from 'sharp';
import { cleanText, escapeXml, wrapText } from '../labels/text-layout.ts';

export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;

export interface OgCardInput {
  name: string;
  /** e.g. "từ 120.000 ₫". */
  price: string;
  /** 3–5 while the certificate is valid, else null (no badge). */
  ocopStars: number | null;
  /** e.g. "HTX Chè Tân Cương Xanh · Xã Tân Cương". */
  producer: string;
  siteName: string;
  /** The product photo (any format sharp reads); a plain background without one. */
  photo?: Buffer;
}

const FONT = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', Arial, sans-serif";
const PAD = 64;

export function ogCardSvg(input: OgCardInput): string {
  const textWidth = OG_WIDTH - 2 * PAD;
  const name = wrapText(cleanText(input.name), 'bold', 64, textWidth, 2);
  const producer = wrapText(cleanText(input.producer), 'regular', 32, textWidth, 1);
  const nameTop = OG_HEIGHT - PAD - 60 - 48 - name.lines.length * 76;
  const lines = [
    `<text x="${PAD}" y="${PAD + 40}" font-size="34" font-weight="700" fill="#ffffff">${escapeXml(input.siteName)}</text>`,
    ...name.lines.map(
      (line, i) =>
        `<text x="${PAD}" y="${nameTop + 64 + i * 76}" font-size="64" font-weight="700" fill="#ffffff">${escapeXml(line)}</text>`,
    ),
    `<text x="${PAD}" y="${OG_HEIGHT - PAD - 60}" font-size="32" fill="#e8f0e3">${escapeXml(producer.lines[0] ?? '')}</text>`,
    `<text x="${PAD}" y="${OG_HEIGHT - PAD}" font-size="44" font-weight="700" fill="#ffd65a">${escapeXml(input.price)}</text>`,
  ];
  const badge =
    input.ocopStars === null
      ? ''
      : `<g transform="translate(${OG_WIDTH - PAD - 300} ${PAD})">` +
        `<rect width="300" height="64" rx="32" fill="#b3261e"/>` +
        `<text x="150" y="44" font-size="32" font-weight="700" fill="#ffffff" text-anchor="middle">` +
        `${'★'.repeat(input.ocopStars)} OCOP</text></g>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH}" height="${OG_HEIGHT}">` +
    `<defs><linearGradient id="shade" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="#000" stop-opacity="0.45"/><stop offset="0.35" stop-color="#000" stop-opacity="0.1"/>` +
    `<stop offset="0.55" stop-color="#000" stop-opacity="0.35"/><stop offset="1" stop-color="#000" stop-opacity="0.85"/>` +
    `</linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#shade)"/>` +
    `<g font-family="${FONT}">${lines.join('')}${badge}</g></svg>`
  );
}

export async function renderOgCard(input: OgCardInput): Promise<Buffer> {
  const base = input.photo
    ? sharp(input.photo).rotate().resize(OG_WIDTH, OG_HEIGHT, { fit: 'cover' })
    : sharp({ create: { width: OG_WIDTH, height: OG_HEIGHT, channels: 3, background: '#1f4d2c' } });
  return base
    .composite([{ input: Buffer.from(ogCardSvg(input)), top: 0, left: 0 }])
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}
