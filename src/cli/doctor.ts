import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A plaintext ElevenLabs key found on disk. The key itself stays in memory, for an import. */
export interface Finding {
  file: string;
  /** The line (a .env file) or null (a file that holds only the key, as ~/.elevenlabs/ does). */
  line: number | null;
  variable: string | null;
  apiKey: string;
  /** A base URL set beside it (ELEVENLABS_BASE_URL in the same .env), for a custom workspace. */
  baseUrl: string | null;
}

const KEY_VARIABLES = ['ELEVENLABS_API_KEY', 'XI_API_KEY', 'ELEVEN_API_KEY'];
const BASE_URL_VARIABLES = ['ELEVENLABS_BASE_URL', 'ELEVENLABS_API_BASE_URL'];
const KEY_PATTERN = /\bsk_[A-Za-z0-9_]{8,}\b/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.venv', 'venv', '__pycache__']);
const MAX_FILE = 1024 * 1024;

/** Files under ~/.elevenlabs/ holding a key (the official CLIs keep one there in plain text). */
export function findHomeKeys(home = os.homedir()): Finding[] {
  const dir = path.join(home, '.elevenlabs');
  const findings: Finding[] = [];
  for (const file of filesUnder(dir, 2)) {
    const text = readSmall(file);
    if (text === null) continue;
    const fromJson = keyInJson(text);
    const key = fromJson ?? KEY_PATTERN.exec(text)?.[0] ?? null;
    if (key) findings.push({ file, line: null, variable: null, apiKey: key, baseUrl: null });
  }
  return findings;
}

/** .env files under the folder (four levels down, skipping dependencies) with an ElevenLabs key. */
export function findEnvKeys(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const file of filesUnder(root, 4)) {
    const base = path.basename(file);
    if (!(base === '.env' || base.startsWith('.env.') || base.endsWith('.env'))) continue;
    const text = readSmall(file);
    if (text === null) continue;
    const lines = text.split(/\r?\n/);
    let baseUrl: string | null = null;
    for (const line of lines) {
      const match = /^\s*(?:export\s+)?([A-Z_]+)\s*=\s*["']?([^"'\s#]*)/.exec(line);
      if (match && BASE_URL_VARIABLES.includes(match[1]!) && match[2]) baseUrl = match[2];
    }
    lines.forEach((line, index) => {
      const match = /^\s*(?:export\s+)?([A-Z_]+)\s*=\s*["']?([^"'\s#]*)/.exec(line);
      if (!match || !KEY_VARIABLES.includes(match[1]!)) return;
      const value = match[2]!;
      if (value.length < 8 || value.startsWith('akr://')) return;
      findings.push({ file, line: index + 1, variable: match[1]!, apiKey: value, baseUrl });
    });
  }
  return findings;
}

/** After an import: the file that held only the key is deleted; a .env file loses that line only. */
export function removeFinding(finding: Finding): string {
  if (finding.line === null) {
    fs.rmSync(finding.file);
    return `deleted ${finding.file}`;
  }
  const text = fs.readFileSync(finding.file, 'utf8');
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  lines.splice(finding.line - 1, 1);
  const mode = fs.statSync(finding.file).mode & 0o777;
  // Beside, then renamed: the file is never left half-written.
  const temporary = `${finding.file}.akr-${process.pid}.tmp`;
  fs.writeFileSync(temporary, lines.join(newline), { mode });
  fs.renameSync(temporary, finding.file);
  return `removed ${finding.variable} (line ${finding.line}) from ${finding.file}`;
}

function keyInJson(text: string): string | null {
  try {
    const json = JSON.parse(text) as unknown;
    const found = JSON.stringify(json).match(KEY_PATTERN);
    return found?.[0] ?? null;
  } catch {
    return null;
  }
}

function readSmall(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function filesUnder(dir: string, depth: number): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile()) files.push(full);
    else if (entry.isDirectory() && depth > 1 && !SKIPPED_DIRS.has(entry.name)) files.push(...filesUnder(full, depth - 1));
  }
  return files;
}
