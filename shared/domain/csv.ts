/**
 * A small RFC 4180 CSV reader for the cooperative's product import: commas, quoted fields with
 * "" escapes, commas and line breaks inside quotes, CRLF / LF / CR line ends, a UTF-8 BOM.
 * Every record keeps the line number it starts on, so errors point at the line in the file.
 * Used by the cooperative board (browser) and by `npm run import` (CLI).
 */
import { IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS } from './import-columns.ts';
export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let quoteLine = 0;
  let atFieldStart = true;

  const endField = () => {
    fields.push(field);
    field = '';
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        // A line break inside quotes belongs to the field; normalized to \n.
        field += '\n';
        i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
        line += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      quoteLine = line;
      atFieldStart = false;
      i += 1;
      continue;
    }
    if (ch === delimiter) {
      endField();
      i += 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    field += ch;
    atFieldStart = false;
    i += 1;
  }
  if (quoted) {
    throw new CsvError(
      quoteLine,
      `Dòng ${quoteLine}: thiếu dấu ngoặc kép đóng (") / Unclosed quote on line ${quoteLine}`,
    );
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

export interface ImportRow {
  line: number;
  values: Record<string, string>;
}

export { IMPORT_COLUMNS as KNOWN_COLUMNS, REQUIRED_IMPORT_COLUMNS as REQUIRED_COLUMNS };

/**
 * Rows for POST /api/seller/imports: the header names the columns; empty cells are left out.
 * Throws CsvError when the file cannot be read as a product sheet.
 */
export function toImportRows(text: string): ImportRow[] {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new CsvError(1, 'Tệp trống. / The file is empty.');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = REQUIRED_IMPORT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new CsvError(
      header.line,
      `Dòng tiêu đề thiếu cột: ${missing.join(', ')}. Hãy dùng tệp mẫu. / Missing columns: ${missing.join(', ')}`,
    );
  }
  return records
    .filter((r) => r.fields.some((f) => f.trim() !== ''))
    .map((r) => {
      const values: Record<string, string> = {};
      names.forEach((name, index) => {
        const cell = (r.fields[index] ?? '').trim();
        if (name && cell) values[name] = cell;
      });
      return { line: r.line, values };
    });
}

/** Cuts a list into chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
