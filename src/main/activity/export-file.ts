import { stringify } from 'csv-stringify/sync';

export type ExportFormat = 'csv' | 'json';

/** A file for the user to save, built here so it holds exactly what the app keeps (never a value). */
export interface ExportFile {
  fileName: string;
  mimeType: string;
  content: string;
}

/**
 * Rows as CSV (a header line, then one line per row; cells that a spreadsheet would run as a
 * formula are escaped) or as a JSON array of objects with the same columns.
 */
export function exportFile<Row extends Record<string, unknown>>(
  baseName: string,
  format: ExportFormat,
  columns: readonly (keyof Row & string)[],
  rows: Row[],
  now: number,
): ExportFile {
  const stamp = new Date(now).toISOString().slice(0, 10);
  if (format === 'json') {
    const picked = rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null])));
    return { fileName: `${baseName}-${stamp}.json`, mimeType: 'application/json', content: `${JSON.stringify(picked, null, 2)}\n` };
  }
  const content = stringify(
    rows.map((row) => columns.map((column) => cell(row[column]))),
    { header: true, columns: [...columns], escape_formulas: true, record_delimiter: 'unix' },
  );
  return { fileName: `${baseName}-${stamp}.csv`, mimeType: 'text/csv', content };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('; ');
  return String(value);
}
