import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../test/support/harness';
import { openDatabase, schemaVersion } from './database';

afterAll(removeTempDirs);

// In a file of its own: other migrations are being added beside it (issue 11).
describe('migration 70: a fixed redirect port for custom providers', () => {
  it('keeps every provider (with any free port, as before) and takes only ports from 1024 to 65535', () => {
    const file = path.join(tempDir(), 'm70.sqlite');
    const v50 = openDatabase({ file, targetVersion: 50 });
    v50
      .prepare(
        `INSERT INTO oauth_providers (id, kind, name, client_id, authorize_url, token_url, scopes, pkce, created_at)
         VALUES ('p', 'custom', 'Acme SSO', 'client', 'https://a/auth', 'https://a/token', '[]', 1, 0)`,
      )
      .run();
    v50.close();

    const db = openDatabase({ file, targetVersion: 70 });
    expect(schemaVersion(db)).toBe(70);
    expect(db.prepare('SELECT name, port FROM oauth_providers').all()).toEqual([{ name: 'Acme SSO', port: null }]);
    db.prepare("UPDATE oauth_providers SET port = 53123 WHERE id = 'p'").run();
    expect(() => db.prepare("UPDATE oauth_providers SET port = 80 WHERE id = 'p'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE oauth_providers SET port = 70000 WHERE id = 'p'").run()).toThrow(/CHECK constraint failed/);
    expect(db.prepare('SELECT port FROM oauth_providers').get()).toEqual({ port: 53123 });
    db.close();
  });
});
