/**
 * Columns of a product import sheet (CSV). Kept free of other imports: the browser's import page
 * loads it, and it must not pull the schemas in.
 */
export const IMPORT_COLUMNS = [
  'category',
  'name_vi',
  'name_en',
  'description_vi',
  'description_en',
  'packs',
] as const;
export const REQUIRED_IMPORT_COLUMNS = ['category', 'name_vi', 'description_vi', 'packs'] as const;
/** Rows per import request; the sheet is sent in chunks of this many. */
export const IMPORT_ROWS_PER_REQUEST = 25;
