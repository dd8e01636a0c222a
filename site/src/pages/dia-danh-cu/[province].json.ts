/**
 * The names in force before the 2025 reform, one file per 2025 province (`/dia-danh-cu/19.json`):
 * the commune pickers load the chosen province's file so that "Dịch Vọng" finds Phường Cầu Giấy
 * (shared/domain/commune-search.ts). Data: shared/data/former-units-2025.json (MIT, see its LICENSE).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import former from '../../../../shared/data/former-units-2025.json';
import type { FormerUnits } from '../../../../shared/domain/commune-search.ts';

const byProvince = former as unknown as Record<string, FormerUnits>;

export const getStaticPaths = (() =>
  Object.keys(byProvince).map((province) => ({ params: { province } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(byProvince[params.province!]), {
    headers: { 'content-type': 'application/json' },
  });
