/**
 * The sample sheet for the cooperative's CSV import (/hop-tac-xa/mau-nhap-san-pham.csv): the
 * columns the import reads, with a quoted description holding a comma and a line break, and
 * the `packs` format `100g:480000:25|hộp 25 túi:65000:120` (size or unit : price in đồng :
 * stock). UTF-8 with a BOM so that spreadsheet programs keep the Vietnamese letters.
 */
import type { APIRoute } from 'astro';

const rows = [
  ['category', 'name_vi', 'name_en', 'description_vi', 'packs'],
  [
    'che-dinh',
    'Chè đinh Tân Cương',
    'Tan Cuong dinh tea',
    'Búp đinh hái sáng sớm, sao tay bằng chảo gang.\nNước xanh, hậu ngọt, thơm cốm.',
    '100g:480000:25|200g:920000:12',
  ],
  [
    'che-non',
    'Chè nõn Tân Cương',
    '',
    'Một tôm một lá non, vụ xuân, vị chát dịu, ngọt hậu.',
    '100g:180000:40|500g:850000:10',
  ],
  [
    'tra-tui-loc',
    'Trà túi lọc Tân Cương',
    'Tan Cuong tea bags',
    'Hộp 25 túi lọc, tiện pha văn phòng, "chè xanh nguyên chất".',
    'hộp 25 túi:65000:120',
  ],
];

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const GET: APIRoute = () =>
  new Response(`\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`, {
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
