import { stringify } from 'csv-stringify/sync';
import type { ExportReply } from '../../shared/schemas/activity';
import { AppError } from '../errors';
import type { FileSaver } from '../ports/file-saver';
import type { ActivityLog } from './activity-log';

export type ExportFormat = 'csv' | 'json';

/** A file for the user to save, built here so it holds exactly what the app keeps (never a value). */
export interface ExportFile {
  fileName: string;
  mimeType: string;
  content: string;
  /** How many rows it holds (said in the activity entry). */
  rows: number;
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
    return {
      fileName: `${baseName}-${stamp}.json`,
      mimeType: 'application/json',
      content: `${JSON.stringify(picked, null, 2)}\n`,
      rows: rows.length,
    };
  }
  const content = stringify(
    rows.map((row) => columns.map((column) => cell(row[column]))),
    { header: true, columns: [...columns], escape_formulas: true, record_delimiter: 'unix' },
  );
  return { fileName: `${baseName}-${stamp}.csv`, mimeType: 'text/csv', content, rows: rows.length };
}

/**
 * Hands an export to the file saver (Electron's Save dialog) and records where it went. A
 * cancelled dialog saved nothing, so nothing is recorded and the reply says so.
 */
export async function saveExport(file: ExportFile, what: string, saver: FileSaver, activity: ActivityLog): Promise<ExportReply> {
  let outcome;
  try {
    outcome = await saver.save({ fileName: file.fileName, mimeType: file.mimeType, content: file.content });
  } catch (error) {
    const reason = (error as Error).message;
    activity.record({
      subject: file.fileName,
      action: 'export',
      result: 'failed',
      detail: `The ${what} export could not be saved: ${reason}`,
    });
    throw new AppError('storage_failed', `The ${what} export could not be saved: ${reason}`);
  }
  if (!outcome.saved) return { saved: false, fileName: file.fileName };
  const rows = `${file.rows} ${file.rows === 1 ? 'row' : 'rows'}`;
  activity.record({ subject: file.fileName, action: 'export', detail: `${rows} of the ${what} saved to ${outcome.path}` });
  return { saved: true, fileName: file.fileName, path: outcome.path, rows: file.rows };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('; ');
  return String(value);
}
