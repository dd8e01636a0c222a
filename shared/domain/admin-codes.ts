/**
 * Which 2025 commune lies in which province, by code only (no names): what address validation
 * needs, at a third of the size of the named list (admin-units.ts), so functions that validate
 * addresses but never show names stay small.
 */
import { COMMUNE_CODES_2025 } from '../data/admin-unit-codes-2025.ts';
import { decodeCodes } from './admin-units-codec.ts';

/** Thái Nguyên's province code in the 2025 list. */
export const THAI_NGUYEN_PROVINCE_CODE = '19';

/** One of the 34 province codes of 2025. */
export const isProvinceCode = (code: string): boolean => Object.hasOwn(COMMUNE_CODES_2025, code);

let provinceOfCommune: Map<string, string> | undefined;

function index(): Map<string, string> {
  if (!provinceOfCommune) {
    provinceOfCommune = new Map();
    for (const [province, codes] of Object.entries(COMMUNE_CODES_2025)) {
      for (const code of decodeCodes(codes)) provinceOfCommune.set(code, province);
    }
  }
  return provinceOfCommune;
}

/** True when the commune exists and lies in the given province. */
export function isCommuneInProvince(provinceCode: string, communeCode: string): boolean {
  return index().get(communeCode) === provinceCode;
}
