/**
 * Bulk import of listings from CSV rows (parsed by the browser or the CLI). Each row becomes one
 * listing, written whole or not at all; errors come back per row with its line number.
 */
import type * as z from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { CreateProductBody, IMPORT_COLUMNS } from '../domain/seller.ts';
import { createProduct } from './listings.ts';

export interface ImportRowResult {
  line: number;
  ok: boolean;
  productId?: string;
  errors?: { field: string; message: string }[];
}

/** "100g:480000:25|1kg:820000:12|hộp 25 túi:65000:120" → packs. */
export function parsePacks(text: string): unknown[] {
  return text
    .split('|')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [size = '', price = '', stock = ''] = part.split(':').map((s) => s.trim());
      const weight = /^(\d+(?:[.,]\d+)?)\s*(g|kg)$/i.exec(size);
      const grams = weight
        ? Math.round(Number(weight[1]!.replace(',', '.')) * (weight[2]!.toLowerCase() === 'kg' ? 1000 : 1))
        : undefined;
      return {
        ...(grams !== undefined ? { grams } : { unit: size }),
        price: Number(price.replace(/[.\s₫đ]/g, '')),
        stock: Number(stock),
      };
    });
}

function rowBody(values: Record<string, string>) {
  return {
    category: values.category?.trim(),
    name: { vi: values.name_vi ?? '', ...(values.name_en?.trim() ? { en: values.name_en } : {}) },
    description: {
      vi: values.description_vi ?? '',
      ...(values.description_en?.trim() ? { en: values.description_en } : {}),
    },
    packs: parsePacks(values.packs ?? ''),
  };
}

const FIELD_NAMES: Record<string, string> = { name: 'name_vi', description: 'description_vi' };

export async function importRows(
  p: Principal,
  rows: { line: number; values: Record<string, string> }[],
): Promise<ImportRowResult[]> {
  const results: ImportRowResult[] = [];
  // One row at a time: rows of one file often share names, and the order of errors should follow the file.
  for (const row of rows) {
    const unknown = Object.keys(row.values).filter((k) => !(IMPORT_COLUMNS as readonly string[]).includes(k));
    const parsed = CreateProductBody.safeParse(rowBody(row.values));
    if (unknown.length || !parsed.success) {
      results.push({
        line: row.line,
        ok: false,
        errors: [
          ...unknown.map((field) => ({ field, message: 'Cột không được hỗ trợ / Unknown column' })),
          ...(parsed.success
            ? []
            : parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
                field: FIELD_NAMES[String(issue.path[0])] ?? issue.path.join('.'),
                message: issue.message,
              }))),
        ],
      });
      continue;
    }
    try {
      const product = await createProduct(p, parsed.data);
      results.push({ line: row.line, ok: true, productId: product.id });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ line: row.line, ok: false, errors: [{ field: '', message: error.message }] });
    }
  }
  return results;
}
