import { utilityProcess } from 'electron';
import { API_SETTINGS_ENV, CODE_CACHE_DIR_ENV, type FromHost, type HostLauncher } from '../elevenlabs/api-host/protocol';
import { forEachLine } from '../elevenlabs/api-host/remote-gateway';

/** The API host as an Electron utility process (out/main/api-host.js), its compiled code kept in `codeCacheDir`. */
export function electronHostLauncher(modulePath: string, codeCacheDir: string): HostLauncher {
  return (settings) => {
    const child = utilityProcess.fork(modulePath, [], {
      serviceName: 'Agent Keyring API host',
      // Piped, not inherited: what it prints goes through the redactor into the log.
      stdio: 'pipe',
      env: { ...process.env, [API_SETTINGS_ENV]: JSON.stringify(settings), [CODE_CACHE_DIR_ENV]: codeCacheDir },
    });
    const exitListeners: ((reason: string) => void)[] = [];
    child.on('exit', (code) => exitListeners.splice(0).forEach((listener) => listener(`exit ${code}`)));
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: FromHost) => listener(message)),
      onExit: (listener) => exitListeners.push(listener),
      onOutput: (listener) => {
        forEachLine(child.stdout, listener);
        forEachLine(child.stderr, listener);
      },
      kill: () => child.kill(),
    };
  };
}
