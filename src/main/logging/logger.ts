import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from './redactor';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * JSON-lines log in the data folder (`logs/main.log`, rotated once at 5 MB). Every line is
 * scrubbed; callers pass ids and counts, never values.
 */
export function createFileLogger(options: { file: string; redactor: Redactor }): Logger {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const write = (level: string, message: string, fields: LogFields = {}) => {
    const line = options.redactor.scrub(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
    try {
      rotateIfLarge(options.file);
      fs.appendFileSync(options.file, `${line}\n`, { mode: 0o600 });
    } catch {
      // A full disk must not take the app down with it; the line is lost.
    }
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function rotateIfLarge(file: string): void {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
}

/** For tests of pure logic that do not care about logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
