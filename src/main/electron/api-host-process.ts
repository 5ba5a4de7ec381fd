import { utilityProcess } from 'electron';
import type { FromHost, HostLauncher } from '../elevenlabs/api-host/protocol';

/** The API host as an Electron utility process (out/main/api-host.js). */
export function electronHostLauncher(modulePath: string): HostLauncher {
  return (options) => {
    const child = utilityProcess.fork(modulePath, [], {
      serviceName: 'Agent Keyring API host',
      stdio: 'inherit',
      env: { ...process.env, AGENT_KEYRING_API_OPTIONS: JSON.stringify(options) },
    });
    const exitListeners: ((reason: string) => void)[] = [];
    child.on('exit', (code) => exitListeners.splice(0).forEach((listener) => listener(`exit ${code}`)));
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: FromHost) => listener(message)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => child.kill(),
    };
  };
}
