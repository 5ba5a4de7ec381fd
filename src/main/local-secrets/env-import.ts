import { parse } from 'dotenv';
import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import type { ImportLine, ImportSkippedLine } from '../../shared/schemas/local-secrets';
import { LIMITS } from '../../shared/limits';
import { SecretNameSchema } from '../../shared/schemas/local-secrets';
import type { ActivityLog } from '../activity/activity-log';
import type { Redactor } from '../logging/redactor';
import type { Fingerprinter } from './fingerprints';
import type { LocalSecretRepository } from './local-secret-repository';
import type { LocalSecretService } from './local-secret-service';

/** One entry of a .env file: where it starts, its name, and its value or what is wrong with it. */
export interface EnvEntry {
  line: number;
  name: string;
  value: string | null;
  problem: string | null;
}

/**
 * Reads a .env file entry by entry with dotenv's own parser, so every line is accounted for: a
 * line dotenv cannot read, a name the API would refuse, an empty value or a name defined again
 * later is reported with its line number instead of being dropped. A quoted value may run over
 * several lines; it is handed to dotenv whole.
 */
export function parseEnvFile(content: string): EnvEntry[] {
  const lines = content.split(/\r?\n/);
  const entries: EnvEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const line = index + 1;
    let chunk = text;
    const opening = /^\s*(?:export\s+)?[^=\s]+\s*=\s*(["'`])/.exec(text);
    if (opening && !closesQuote(text.slice(opening[0].length), opening[1]!)) {
      let end = index;
      while (end + 1 < lines.length) {
        end += 1;
        chunk += `\n${lines[end]!}`;
        if (closesQuote(lines[end]!, opening[1]!)) break;
      }
      index = end;
    }
    const parsed = parse(chunk);
    const names = Object.keys(parsed);
    // What stands before '=' is shown; a line without one might be a pasted value, so none of it is.
    const declared = text.includes('=')
      ? text
          .slice(0, text.indexOf('='))
          .replace(/^\s*export\s+/, '')
          .trim()
          .slice(0, LIMITS.secretName)
      : '';
    if (names.length !== 1) {
      entries.push({ line, name: declared, value: null, problem: 'is not a NAME=value line' });
      continue;
    }
    const name = names[0]!;
    const value = parsed[name]!;
    const checked = SecretNameSchema.safeParse(name);
    if (!checked.success) entries.push({ line, name, value: null, problem: `name ${checked.error.issues[0]!.message}` });
    else if (value === '') entries.push({ line, name, value: null, problem: 'has no value' });
    else entries.push({ line, name, value, problem: null });
  }
  // A name defined twice: the last definition counts, as dotenv does; the earlier ones are reported.
  const last = new Map<string, number>();
  entries.forEach((entry, position) => entry.problem === null && last.set(entry.name, position));
  return entries.map((entry, position) => {
    const kept = last.get(entry.name);
    if (entry.problem === null && kept !== undefined && kept !== position) {
      return { ...entry, value: null, problem: `is defined again on line ${entries[kept]!.line}` };
    }
    return entry;
  });
}

function closesQuote(rest: string, quote: string): boolean {
  return new RegExp(`(^|[^\\\\])${quote === '`' ? '`' : quote}`).test(rest);
}

/** The .env import: a preview of what would change, then only the names the user chose. */
export class EnvImport {
  constructor(
    private readonly deps: {
      repository: LocalSecretRepository;
      localSecrets: LocalSecretService;
      fingerprints: Fingerprinter;
      activity: ActivityLog;
      redactor: Redactor;
    },
  ) {}

  async preview(request: ParsedRequestOf<'localSecrets:importPreview'>): Promise<ReplyOf<'localSecrets:importPreview'>> {
    const entries = this.#read(request.content);
    const lines: ImportLine[] = [];
    for (const entry of entries) {
      if (entry.value === null) {
        lines.push({ line: entry.line, name: entry.name, status: 'invalid', problem: entry.problem });
        continue;
      }
      const existing = this.deps.repository.findByName(entry.name);
      const status = !existing ? 'new' : existing.fingerprint === (await this.deps.fingerprints.of(entry.value)) ? 'unchanged' : 'changed';
      lines.push({ line: entry.line, name: entry.name, status, problem: null });
    }
    return { lines };
  }

  async apply(request: ParsedRequestOf<'localSecrets:importApply'>): Promise<ReplyOf<'localSecrets:importApply'>> {
    const chosen = new Set(request.names);
    const counts = { created: 0, updated: 0 };
    // Which lines were left out and why (line, name, reason; never a value), so the result can name them.
    const skippedLines: ImportSkippedLine[] = [];
    const skip = (entry: EnvEntry, reason: ImportSkippedLine['reason']) =>
      skippedLines.push({ line: entry.line, name: entry.name, reason, problem: reason === 'invalid' ? entry.problem : null });
    for (const entry of this.#read(request.content)) {
      if (entry.value === null) {
        skip(entry, 'invalid');
        continue;
      }
      const existing = this.deps.repository.findByName(entry.name);
      if (!chosen.has(entry.name)) {
        // The preview offers no choice for an unchanged line: say that, not "not chosen".
        const same = existing !== undefined && existing.fingerprint === (await this.deps.fingerprints.of(entry.value));
        skip(entry, same ? 'unchanged' : 'not-chosen');
        continue;
      }
      if (!existing) {
        await this.deps.localSecrets.insertFromImport({
          name: entry.name,
          value: entry.value,
          targets: request.targetWorkspaceIds.map((workspaceId) => ({ workspaceId, remoteName: null })),
        });
        counts.created += 1;
        this.deps.activity.record({ subject: entry.name, action: 'import', detail: 'new local secret' });
      } else if (existing.fingerprint !== (await this.deps.fingerprints.of(entry.value))) {
        await this.deps.localSecrets.rotateFromImport(existing.id, entry.value);
        counts.updated += 1;
        this.deps.activity.record({ subject: entry.name, action: 'import', detail: 'new value; the previous one is kept' });
      } else {
        skip(entry, 'unchanged');
      }
    }
    this.deps.localSecrets.changed();
    return { ...counts, skipped: skippedLines.length, skippedLines };
  }

  /** Parses the file and teaches the redactor every value in it, before anything else happens. */
  #read(content: string): EnvEntry[] {
    const entries = parseEnvFile(content);
    for (const entry of entries) if (entry.value !== null) this.deps.redactor.add(entry.value);
    return entries;
  }
}
