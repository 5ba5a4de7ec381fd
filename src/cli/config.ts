import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AkrReferenceSchema, AkrWorkspaceSchema, EnvNameSchema } from '../shared/schemas/broker';

/** Where this terminal keeps its pairing: AKR_CONFIG_DIR, else the user's config folder. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['AKR_CONFIG_DIR']) return path.resolve(env['AKR_CONFIG_DIR']);
  if (process.platform === 'win32')
    return path.join(env['APPDATA'] ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Agent Keyring', 'akr');
  const base = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return path.join(base, 'agent-keyring', 'akr');
}

export const PROJECT_FILE = '.agentkeyring.json';

/**
 * The committable project file: which workspace a folder uses and which environment variables
 * map to which references. Names and references only: a value here is refused, not used.
 */
export const ProjectFileSchema = z.strictObject({
  workspace: AkrWorkspaceSchema.optional(),
  env: z.record(EnvNameSchema, AkrReferenceSchema).optional(),
});
export type ProjectFile = z.infer<typeof ProjectFileSchema>;

/** The nearest .agentkeyring.json from `start` up to the root, parsed, or null. */
export function findProjectFile(start: string): { file: string; project: ProjectFile } | null {
  let dir = path.resolve(start);
  for (;;) {
    const file = path.join(dir, PROJECT_FILE);
    if (fs.existsSync(file)) {
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UserError(`${file} is not valid JSON (${(error as Error).message}).`);
      }
      const parsed = ProjectFileSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new UserError(
          `${file}: ${issue.path.join('.') || 'the file'} ${issue.message}. It holds a workspace name and env NAME → akr://WORKSPACE/SECRET references only, never values.`,
        );
      }
      return { file, project: parsed.data };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** An error akr explains to the user (no stack): what is wrong and what to do. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code = 'failed',
  ) {
    super(message);
  }
}
