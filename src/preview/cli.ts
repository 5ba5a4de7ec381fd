import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPreview } from './server';

// npm run preview -- --port P --data-dir DIR [--keychain-service NAME] [--api-timeout SECONDS] [--oauth-timeout SECONDS] [--backup-dir DIR]
const usage =
  'usage: npm run preview -- --port P --data-dir DIR [--keychain-service NAME] [--api-timeout SECONDS] [--api-retries N] [--oauth-timeout SECONDS] [--backup-dir DIR]';

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
        'keychain-service': { type: 'string' },
        'api-timeout': { type: 'string' },
        'api-retries': { type: 'string' },
        'oauth-timeout': { type: 'string' },
        renderer: { type: 'string' },
        // Backups are saved to, and the newest is opened from, this folder (the preview has no file dialogs).
        'backup-dir': { type: 'string' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0 picks a free one)\n${usage}`);
  if (!values['data-dir']) fail(`--data-dir is required\n${usage}`);
  const timeoutSeconds = values['api-timeout'] === undefined ? undefined : Number(values['api-timeout']);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) fail('--api-timeout must be a positive number of seconds');
  const maxRetries = values['api-retries'] === undefined ? undefined : Number(values['api-retries']);
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) fail('--api-retries must be a whole number');
  const oauthTimeoutSeconds = values['oauth-timeout'] === undefined ? undefined : Number(values['oauth-timeout']);
  if (oauthTimeoutSeconds !== undefined && !(oauthTimeoutSeconds > 0)) fail('--oauth-timeout must be a positive number of seconds');

  const root = path.resolve(__dirname, '../..');
  // The built API host beside the built renderer (npm run preview builds both), as Electron runs it.
  const builtHost = path.join(root, 'out', 'main', 'api-host.js');
  const preview = await startPreview({
    port,
    dataDir: path.resolve(values['data-dir']),
    rendererDir: path.resolve(values.renderer ?? path.join(root, 'out', 'renderer')),
    keychainService: values['keychain-service'],
    api: { timeoutSeconds, maxRetries },
    oauthFlowTimeoutMs: oauthTimeoutSeconds === undefined ? undefined : oauthTimeoutSeconds * 1000,
    apiHostFile: fs.existsSync(builtHost) ? builtHost : undefined,
    backupDir: values['backup-dir'] === undefined ? undefined : path.resolve(values['backup-dir']),
    version: (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version,
  });
  // Handlers first: a signal sent on the ready line must close the preview, not kill it.
  const stop = () => void preview.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`Agent Keyring preview (not the packaged app); data in ${preview.domain.paths.dataDir}\n`);
  process.stdout.write(`akr: AKR_SOCKET_DIR=${preview.akrSocketDir}\n`);
  process.stdout.write(`open ${preview.url}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

main().catch((error: unknown) => {
  process.stderr.write(`preview failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
