/**
 * The 2025 provinces and communes for the seller center's commune picker, as one static JSON
 * file built with the site: shared/domain/admin-units.ts is too big to ship to the browser.
 * `[{ code, name, wards: [{ code, name }] }]`, Thái Nguyên (19) first.
 */
import type { APIRoute } from 'astro';
import { listProvinces, THAI_NGUYEN_PROVINCE_CODE } from '../../../../shared/domain/admin-units.ts';

export const GET: APIRoute = () => {
  const provinces = [...listProvinces()].sort(
    (a, b) =>
      Number(b.code === THAI_NGUYEN_PROVINCE_CODE) - Number(a.code === THAI_NGUYEN_PROVINCE_CODE) ||
      a.name.localeCompare(b.name, 'vi'),
  );
  const body = provinces.map((p) => ({
    code: p.code,
    name: p.name,
    wards: p.wards.map((w) => ({ code: w.code, name: w.name })),
  }));
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
};
